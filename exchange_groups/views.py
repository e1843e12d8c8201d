from django.shortcuts import render

from .models import Space, SpaceVisibility


def space_list(request):
    """Public listing of spaces. Private spaces are never listed here (only to their members, later)."""
    spaces = Space.objects.filter(visibility=SpaceVisibility.PUBLIC)
    return render(request, "exchange_groups/spaces/space_list.html", {"spaces": spaces})
