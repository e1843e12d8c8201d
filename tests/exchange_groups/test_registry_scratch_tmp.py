import time
from collections import Counter
from exchange_groups.models import TerritorialUnit
from exchange_groups.registry import load_terc, search_units, shipped_terc_path

def test_scratch(registry):
    print(registry)
    print(Counter(TerritorialUnit.objects.values_list("kind", flat=True)))
    t=time.time(); r=load_terc(shipped_terc_path()); print("reload", r, time.time()-t)
    labels=Counter(u.label for u in TerritorialUnit.objects.active().jst().select_related("parent","voivodeship"))
    print([l for l,c in labels.items() if c>1])
    for q in ["lodz","ŁÓDŹ","Bolesławiec","wiec","bolesławiec wiejska","powiat bolesławiecki","0201", "warszawa", "dobra"]:
        t=time.time(); res=search_units(q); print(q, round(time.time()-t,3), [(u.code,u.label) for u in res][:8])
