"""A course's audience in English position codes, step 1 of 2: the choices (0003 converts the stored lists)."""

import learning.models
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='coursepage',
            name='audience',
            field=learning.models.ChoiceListField(blank=True, choice_list=[('decision_maker', 'Decision-maker (mayor, wójt, burmistrz, starosta or their deputy)'), ('education_department', 'Head of the education department or education inspector'), ('finance', 'Treasurer or budget analyst'), ('school_administration', 'School economic and administrative staff'), ('councillor', 'Councillor on the education committee'), ('social_partner', 'Social partner')], default=list, help_text='The people the course is meant for.', verbose_name='audience (position categories)'),
        ),
    ]
