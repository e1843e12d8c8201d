"""Demo content of the good-practice base: the index page, seven published practices and one member's
submission waiting for the editors in the review workflow.

`load_demo_practices(users, spaces)` is idempotent: the index, the themes and each practice (found by its
slug) are created only once. The index goes under the default site's root page (the site demo creates the
home page before this runs). Units are picked by TERYT code from the loaded registry; a practice whose
unit is missing is skipped.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model

from exchange_groups.models import GoodPracticePage, PracticeSource, PracticeTheme, TerritorialUnit
from exchange_groups.practices import services


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


PRACTICES = [
    {
        "slug": "reorganizacja-sieci-szkol-hansk",
        "title": "Reorganizacja sieci szkół po spadku liczby uczniów",
        "unit": "0619032",  # Hańsk, gmina wiejska, lubelskie
        "source": PracticeSource.ORE,
        "space": "siec-gminy-wiejskie",
        "themes": ["sieć szkół", "demografia", "finansowanie oświaty"],
        "period_start": "2016/2017",
        "period_end": "2018/2019",
        "summary": "Gmina wiejska połączyła dwie małe szkoły w zespół z jednym dyrektorem i wspólną świetlicą, "
        "zachowując oddziały przedszkolne w obu miejscowościach. Decyzję poprzedziły dwuletnie konsultacje "
        "z rodzicami.",
        "local_context": _p(
            "Gmina liczy niespełna 4 tys. mieszkańców. W latach 2010–2016 liczba dzieci w wieku 7–12 lat "
            "zmniejszyła się o 28%, a w dwóch z trzech szkół podstawowych oddziały liczyły 6–9 uczniów.",
            "Wydatki na oświatę przekraczały subwencję oświatową o 41%, co ograniczało inwestycje gminy.",
        ),
        "problem": _p(
            "Małe oddziały i łączenie klas nie dawały uczniom warunków do pracy zespołowej, a gmina nie była w "
            "stanie zatrudnić w każdej szkole specjalistów (pedagoga, logopedy). Pierwsza próba likwidacji "
            "szkoły w 2014 r. zakończyła się protestem rodziców."
        ),
        "solution": _p(
            "Zamiast likwidacji gmina utworzyła zespół szkolno-przedszkolny: klasy IV–VIII uczą się w jednym "
            "budynku, klasy I–III i oddziały przedszkolne zostały w obu miejscowościach. Dowóz zapewnia gminny "
            "autobus z opiekunem.",
            "Projekt zmian przygotował zespół z udziałem dyrektorów, rady rodziców i radnych komisji oświaty; "
            "gmina opublikowała analizę kosztów i prognozę demograficzną do 2030 r.",
        ),
        "who_did_what": _ul(
            "wójt i referat oświaty – analiza kosztów i prognoza demograficzna (2016),",
            "zespół konsultacyjny z rodzicami – pięć spotkań w obu miejscowościach (2016–2017),",
            "rada gminy – uchwały o przekształceniu w zespół (2017),",
            "dyrektor zespołu – nowy plan zajęć i organizacja dowozów (2017/2018).",
        ),
        "effects": _ul(
            "średnia liczebność oddziałów w klasach IV–VIII wzrosła z 8 do 17 uczniów,",
            "w zespole zatrudniono pedagoga specjalnego i logopedę na pełnych etatach,",
            "dopłata gminy do oświaty spadła z 41% do 24% subwencji w ciągu dwóch lat.",
        ),
        "cost": _p("Dostosowanie budynku: 380 tys. zł (w tym 60% ze środków zewnętrznych); dowóz: 96 tys. zł rocznie."),
        "why_promote": _p(
            "Pokazuje, że reorganizację sieci szkół można przeprowadzić bez konfliktu, jeśli rodzice znają dane "
            "i mają wpływ na kształt zmian, a najmłodsze dzieci uczą się blisko domu."
        ),
        "replication_advice": _ul(
            "zacząć od rzetelnej prognozy demograficznej i jawnej analizy kosztów,",
            "zaprosić rodziców do zespołu, zanim powstanie projekt uchwały,",
            "zaplanować dowóz i opiekę świetlicową przed zmianą, nie po niej.",
        ),
        "contact_name": "Joanna Pawlak",
        "contact_role": "kierownik referatu oświaty",
        "contact_email": "oswiata@hansk.example.pl",
        "contact_phone": "+48 82 000 00 00",
    },
    {
        "slug": "powiatowa-rada-ksztalcenia-zawodowego-mielec",
        "title": "Powiatowa rada kształcenia zawodowego z pracodawcami",
        "unit": "1811",  # powiat mielecki, podkarpackie
        "source": PracticeSource.ZMP,
        "space": "gwd-powiatowa",
        "themes": ["kształcenie zawodowe", "współpraca z pracodawcami"],
        "period_start": "2017/2018",
        "period_end": "",
        "summary": "Starosta powołał radę, w której dyrektorzy szkół zawodowych, pracodawcy ze specjalnej strefy "
        "ekonomicznej i powiatowy urząd pracy co roku uzgadniają ofertę kierunków i miejsca praktyk.",
        "local_context": _p(
            "Powiat prowadzi pięć szkół ponadpodstawowych, w tym trzy technika i dwie branżowe szkoły I stopnia. "
            "Na terenie powiatu działa ponad 100 firm przemysłu lotniczego i motoryzacyjnego."
        ),
        "problem": _p(
            "Pracodawcy zgłaszali brak absolwentów w zawodach mechatronicznych i lotniczych, a jednocześnie "
            "część kierunków miała niski nabór. Decyzje o nowych kierunkach zapadały bez danych o rynku pracy."
        ),
        "solution": _p(
            "Rada kształcenia zawodowego spotyka się dwa razy w roku: w październiku analizuje dane urzędu pracy i "
            "zapotrzebowanie firm, w lutym zatwierdza ofertę na kolejny rok szkolny. Pracodawcy zapewniają praktyki, "
            "wyposażenie pracowni i szkolenia nauczycieli zawodu."
        ),
        "who_did_what": _p(
            "Wydział edukacji starostwa prowadzi sekretariat rady i przygotowuje analizy; dyrektorzy szkół "
            "przedstawiają wyniki egzaminów zawodowych; pracodawcy deklarują miejsca praktyk na 3 lata."
        ),
        "effects": _ul(
            "uruchomiono 4 nowe kierunki (m.in. technik mechanik lotniczy, technik robotyk),",
            "ponad 70% uczniów technikum odbywa praktyki w firmach członkowskich rady,",
            "zdawalność egzaminów zawodowych wzrosła o 12 punktów procentowych.",
        ),
        "cost": _p("Koszt obsługi rady w starostwie: ok. 0,25 etatu; wyposażenie pracowni sfinansowali pracodawcy."),
        "why_promote": _p("Trwały, sformalizowany mechanizm dialogu, który nie zależy od jednego dyrektora czy firmy."),
        "replication_advice": _p(
            "Warto zapisać zasady pracy rady w zarządzeniu starosty i co roku publikować raport z jej ustaleń."
        ),
        "contact_name": "Rafał Sowa",
        "contact_role": "naczelnik Wydziału Edukacji",
        "contact_email": "edukacja@powiat-mielecki.example.pl",
        "contact_phone": "",
    },
    {
        "slug": "panel-danych-o-finansach-oswiaty-gdynia",
        "title": "Panel danych o finansach oświaty dla radnych i dyrektorów",
        "unit": "2262",  # Gdynia, miasto na prawach powiatu, pomorskie
        "source": PracticeSource.ZMP,
        "space": "gwd-miejska",
        "themes": ["finansowanie oświaty", "analiza danych"],
        "period_start": "2018/2019",
        "period_end": "",
        "summary": "Miasto publikuje panel danych, w którym dla każdej szkoły widać koszt ucznia, liczebność "
        "oddziałów, wykorzystanie godzin i wyniki egzaminów – te same liczby dla radnych, dyrektorów i "
        "mieszkańców.",
        "local_context": _p(
            "Miasto prowadzi ponad 100 szkół i przedszkoli; wydatki na oświatę to blisko jedna trzecia budżetu."
        ),
        "problem": _p(
            "Dyskusje o budżecie oświaty toczyły się na różnych danych: każda strona przynosiła własne "
            "zestawienia, a radni nie mieli łatwego dostępu do porównań między szkołami."
        ),
        "solution": _p(
            "Wydział edukacji połączył dane z arkuszy organizacyjnych, systemu finansowo-księgowego i wyników "
            "egzaminów w jednym panelu, aktualizowanym co miesiąc. Dyrektorzy dostają wersję z danymi "
            "szczegółowymi, a mieszkańcy – zagregowaną."
        ),
        "effects": _ul(
            "rozmowy budżetowe z dyrektorami trwają krócej i dotyczą tych samych danych,",
            "radni komisji oświaty korzystają z panelu przy każdej uchwale dotyczącej sieci szkół,",
            "wskazano 14 szkół o nietypowo wysokim koszcie ucznia i wyjaśniono przyczyny.",
        ),
        "cost": _p("Narzędzie zbudowano we własnym zakresie; utrzymanie to ok. 0,5 etatu analityka."),
        "why_promote": _p("Jawne i porównywalne dane budują zaufanie między samorządem a szkołami."),
        "replication_advice": _p("Zacząć od kilku wskaźników, które wszyscy rozumieją, i ustalić ich definicje."),
        "contact_name": "Marta Górska",
        "contact_role": "analityczka, Wydział Edukacji",
        "contact_email": "dane.oswiata@gdynia.example.pl",
        "contact_phone": "",
        "video_url": "https://vimeo.com/76979871",
        "video_transcript": "Nagranie (4 minuty) pokazuje panel danych na ekranie. Analityczka wydziału edukacji "
        "wybiera szkołę z listy i omawia kolejno: koszt utrzymania ucznia w porównaniu ze średnią miasta, "
        "liczebność oddziałów w poszczególnych rocznikach, wykorzystanie godzin ponadwymiarowych oraz wyniki "
        "egzaminu ósmoklasisty. Na koniec pokazuje, jak radny może pobrać zestawienie do arkusza.",
    },
    {
        "slug": "wspolny-zakup-energii-dla-szkol-strzelce-opolskie",
        "title": "Wspólny zakup energii elektrycznej dla szkół kilku gmin",
        "unit": "1611053",  # Strzelce Opolskie, gmina miejsko-wiejska, opolskie
        "source": PracticeSource.NETWORK,
        "space": "siec-gminy-miejsko-wiejskie",
        "themes": ["zamówienia wspólne", "efektywność energetyczna", "finansowanie oświaty"],
        "period_start": "2018/2019",
        "period_end": "2019/2020",
        "summary": "Gmina przeprowadziła wspólny przetarg na energię elektryczną dla szkół i przedszkoli własnych "
        "oraz czterech sąsiednich gmin, obniżając cenę o kilkanaście procent.",
        "local_context": _p(
            "Pięć gmin powiatu prowadzi łącznie 38 szkół i przedszkoli; każda dotąd kupowała energię osobno."
        ),
        "problem": _p("Rosnące ceny energii i mała skala zamówień pojedynczych gmin."),
        "solution": _p(
            "Gminy podpisały porozumienie o wspólnym zamówieniu; gmina-lider przygotowała postępowanie, a pozostałe "
            "przekazały dane o punktach poboru. Umowa obejmuje dwa lata."
        ),
        "effects": _p("Cena energii niższa o 14% niż średnia ofert z poprzednich, osobnych przetargów."),
        "cost": _p("Koszt przygotowania postępowania podzielono proporcjonalnie do liczby punktów poboru."),
        "why_promote": _p("Prosty sposób na oszczędności bez wpływu na pracę szkół."),
        "replication_advice": _p("Dane o punktach poboru trzeba zebrać z dużym wyprzedzeniem – to najdłuższy etap."),
        "contact_name": "Grzegorz Lis",
        "contact_role": "kierownik Centrum Usług Wspólnych",
        "contact_email": "cuw@strzelce.example.pl",
        "contact_phone": "",
    },
    {
        "slug": "lokalna-strategia-oswiatowa-z-rodzicami-elk",
        "title": "Lokalna strategia oświatowa napisana z rodzicami i nauczycielami",
        "unit": "2805011",  # Ełk, gmina miejska, warmińsko-mazurskie
        "source": PracticeSource.ORE,
        "space": "siec-gminy-miejskie-i-powiaty",
        "themes": ["strategia oświatowa", "partycypacja"],
        "period_start": "2017/2018",
        "period_end": "2018/2019",
        "summary": "Miasto przygotowało strategię rozwoju oświaty na lata 2019–2025 w warsztatach z udziałem "
        "rodziców, nauczycieli, uczniów i organizacji pozarządowych.",
        "local_context": _p("Gmina miejska prowadzi 9 szkół podstawowych i 13 przedszkoli."),
        "problem": _p(
            "Poprzednia strategia była dokumentem urzędniczym, którego nikt w szkołach nie znał i nie wykorzystywał."
        ),
        "solution": _p(
            "Diagnozę przygotowano na podstawie ankiet (ponad 1500 odpowiedzi) i danych o wynikach. Cele "
            "wypracowano w sześciu warsztatach otwartych dla wszystkich; projekt konsultowano publicznie."
        ),
        "effects": _ul(
            "strategia ma 5 celów z mierzalnymi wskaźnikami, monitorowanymi co roku,",
            "szkoły wpisały cele strategii do swoich planów pracy.",
        ),
        "cost": _p("Moderacja warsztatów i ankiety: ok. 35 tys. zł."),
        "why_promote": _p("Strategia stała się wspólnym dokumentem miasta i szkół, a nie tylko urzędu."),
        "replication_advice": _p("Warto zaangażować uczniów – ich propozycje okazały się najbardziej konkretne."),
        "contact_name": "Ewa Krajewska",
        "contact_role": "dyrektor Wydziału Edukacji",
        "contact_email": "edukacja@elk.example.pl",
        "contact_phone": "",
    },
    {
        "slug": "procesowe-wspomaganie-szkol-siec-nauczycieli-swidnica",
        "title": "Procesowe wspomaganie szkół z siecią współpracy nauczycieli",
        "unit": "0219",  # powiat świdnicki, dolnośląskie
        "source": PracticeSource.NETWORK,
        "space": "siec-gminy-miejskie-i-powiaty",
        "themes": ["wspomaganie szkół", "sieci nauczycieli"],
        "period_start": "2016/2017",
        "period_end": "",
        "summary": "Powiat finansuje roczne wspomaganie szkół prowadzone przez powiatowy ośrodek doskonalenia "
        "i sieci nauczycieli przedmiotów zawodowych i matematyki.",
        "local_context": _p("Powiat prowadzi 8 szkół ponadpodstawowych i placówkę doskonalenia nauczycieli."),
        "problem": _p("Szkolenia dla nauczycieli były jednorazowe i nie przekładały się na pracę w klasie."),
        "solution": _p(
            "Każda szkoła wybiera z doradcą jeden obszar rozwoju na rok; nauczyciele pracują w sieciach "
            "międzyszkolnych, obserwują nawzajem lekcje i wspólnie analizują efekty."
        ),
        "effects": _p("W 6 z 8 szkół wzrosły wyniki z matematyki na maturze; sieci działają bez przerwy od 2016 r."),
        "cost": _p("Ok. 120 tys. zł rocznie z budżetu powiatu na doradców i koordynację sieci."),
        "why_promote": _p("Łączy rolę organu prowadzącego z długofalowym rozwojem nauczycieli."),
        "replication_advice": _p("Obszar wspomagania powinna wybrać szkoła na podstawie własnej diagnozy."),
        "contact_name": "Adam Czerwiński",
        "contact_role": "dyrektor powiatowego ośrodka doskonalenia nauczycieli",
        "contact_email": "wspomaganie@powiat-swidnicki.example.pl",
        "contact_phone": "",
    },
    {
        "slug": "bezplatny-dowoz-i-swietlica-kikol",
        "title": "Bezpłatny dowóz uczniów połączony z opieką świetlicową",
        "unit": "0408052",  # Kikół, gmina wiejska, kujawsko-pomorskie
        "source": PracticeSource.ORE,
        "space": "siec-gminy-wiejskie",
        "themes": ["dowożenie uczniów", "opieka świetlicowa"],
        "period_start": "2018/2019",
        "period_end": "",
        "summary": "Gmina zmieniła rozkład dowozów tak, aby żadne dziecko nie czekało na autobus bez opieki: "
        "świetlica w szkole działa do odjazdu ostatniego kursu, z zajęciami rozwijającymi.",
        "local_context": _p("Gmina wiejska, 3 szkoły podstawowe, ponad połowa uczniów dojeżdża."),
        "problem": _p("Dzieci czekały na autobus nawet dwie godziny, często na korytarzu lub przed szkołą."),
        "solution": _p(
            "Rozkład dowozów ułożono razem z planem lekcji; świetlica działa do odjazdu ostatniego autobusu, a "
            "nauczyciele prowadzą w tym czasie zajęcia rozwijające i odrabianie lekcji."
        ),
        "effects": _p("Czas oczekiwania skrócił się średnio do 25 minut; w zajęciach uczestniczy 80% dojeżdżających."),
        "cost": _p("Dodatkowe godziny świetlicy: ok. 60 tys. zł rocznie."),
        "why_promote": _p("Niewielkim kosztem poprawia bezpieczeństwo i wyrównuje szanse dzieci dojeżdżających."),
        "replication_advice": _p("Plan lekcji i rozkład dowozów trzeba układać jednocześnie, przed wrześniem."),
        "contact_name": "Sylwia Michalska",
        "contact_role": "inspektor ds. oświaty",
        "contact_email": "oswiata@kikol.example.pl",
        "contact_phone": "",
    },
]

MEMBER_SUBMISSION = {
    "title": "Centrum usług wspólnych dla szkół gminy",
    "unit": "0201022",  # Bolesławiec, gmina wiejska, dolnośląskie
    "themes": ["finansowanie oświaty"],
    "period_start": "2018/2019",
    "period_end": "",
    "summary": "Gmina przeniosła księgowość, kadry i zamówienia szkół do centrum usług wspólnych, odciążając "
    "dyrektorów od spraw administracyjnych.",
    "local_context": "Gmina wiejska prowadzi 7 szkół podstawowych; każda miała własną księgową na część etatu.",
    "problem": "Dyrektorzy poświęcali dużo czasu na sprawy administracyjne, a zastępstwa w księgowości były "
    "trudne do zorganizowania.",
    "solution": "Centrum usług wspólnych prowadzi księgowość, kadry i zamówienia wszystkich szkół według wspólnych "
    "procedur.\n\nDyrektorzy mają dostęp do bieżących danych o wykonaniu planów finansowych.",
    "effects": "Jednolite procedury i terminowe sprawozdania; dyrektorzy zyskali czas na sprawy pedagogiczne.",
    "contact_name": "Anna Nowak",
    "contact_role": "inspektor ds. oświaty",
    "contact_email": "uczestnik@demo.oswiata-jst.pl",
}


# Model documents (RTF, opens in every word processor): slug of the practice -> [(title, file name, paragraphs)].
DOCUMENTS = {
    "powiatowa-rada-ksztalcenia-zawodowego-mielec": [
        (
            "Wzór zarządzenia starosty w sprawie powołania rady kształcenia zawodowego",
            "wzor-zarzadzenia-rada-ksztalcenia-zawodowego.rtf",
            [
                "Zarządzenie nr …/… Starosty … z dnia … w sprawie powołania Powiatowej Rady Kształcenia Zawodowego",
                "§ 1. Powołuje się Powiatową Radę Kształcenia Zawodowego, zwaną dalej „Radą”, jako organ "
                "opiniodawczo-doradczy Starosty w sprawach kształcenia zawodowego.",
                "§ 2. W skład Rady wchodzą: przedstawiciel Zarządu Powiatu, dyrektorzy szkół prowadzących "
                "kształcenie zawodowe, przedstawiciele pracodawców, przedstawiciel powiatowego urzędu pracy.",
                "§ 3. Do zadań Rady należy w szczególności: opiniowanie propozycji nowych kierunków kształcenia, "
                "analiza zapotrzebowania na zawody, organizacja praktycznej nauki zawodu u pracodawców.",
                "§ 4. Rada zbiera się co najmniej dwa razy w roku szkolnym. Obsługę Rady zapewnia Wydział Edukacji.",
            ],
        )
    ],
    "reorganizacja-sieci-szkol-hansk": [
        (
            "Harmonogram konsultacji zmian w sieci szkół z rodzicami",
            "harmonogram-konsultacji-siec-szkol.rtf",
            [
                "Harmonogram konsultacji społecznych projektu zmian w sieci szkół",
                "1. Publikacja prognozy demograficznej i analizy kosztów – wrzesień.",
                "2. Spotkania z radami rodziców w każdej szkole – październik i listopad.",
                "3. Zespół konsultacyjny: rodzice, dyrektorzy, radni – trzy posiedzenia, grudzień–luty.",
                "4. Projekt uchwały i jego opinia kuratora oświaty – marzec.",
                "5. Spotkanie podsumowujące i informacja o organizacji dowozów – maj.",
            ],
        )
    ],
}


def _rtf(paragraphs: list[str]) -> bytes:
    def escape(text: str) -> str:
        out = []
        for ch in text:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) > 127:
                out.append(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
            else:
                out.append(ch)
        return "".join(out)

    body = "".join(f"{{\\pard\\sa200 {escape(text)}\\par}}\n" for text in paragraphs)
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs24\n" + body + "}").encode("ascii")


def _documents(slug: str) -> list[tuple[str, dict]]:
    Document = get_document_model()
    blocks = []
    for title, filename, paragraphs in DOCUMENTS.get(slug, []):
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(title=title)
            document.file.save(filename, ContentFile(_rtf(paragraphs)), save=False)
            document.file_size = document.file.size
            document.save()
        blocks.append(("document", {"document": document, "title": ""}))
    return blocks


def _themes(names) -> list[PracticeTheme]:
    themes = []
    for name in names:
        theme = PracticeTheme.objects.filter(name__iexact=name).first()
        if theme is None:
            theme = PracticeTheme.objects.create(name=name)
        themes.append(theme)
    return themes


def _publish_practice(index, spec: dict, spaces: dict, editor) -> GoodPracticePage | None:
    existing = GoodPracticePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    unit = TerritorialUnit.objects.filter(code=spec["unit"]).first()
    if unit is None:
        return None
    fields = {k: v for k, v in spec.items() if k not in ("unit", "themes", "space")}
    page = GoodPracticePage(
        unit=unit,
        source_space=spaces.get(spec.get("space")),
        owner=editor,
        documents=_documents(spec["slug"]),
        **fields,
    )
    page.themes.set(_themes(spec["themes"]))
    index.add_child(instance=page)
    page.save_revision(user=editor).publish(user=editor, skip_permission_checks=True)
    return page


@transaction.atomic
def load_demo_practices(users: dict, spaces: dict) -> dict:
    index = services.ensure_good_practice_index()
    editor = users.get("redaktor")
    published = [page for spec in PRACTICES if (page := _publish_practice(index, spec, spaces, editor))]
    submission = None
    author = users.get("uczestnik")
    unit = TerritorialUnit.objects.filter(code=MEMBER_SUBMISSION["unit"]).first()
    if author is not None and unit is not None:
        submission = GoodPracticePage.objects.filter(owner=author, title=MEMBER_SUBMISSION["title"]).first()
        if submission is None:
            spec = dict(MEMBER_SUBMISSION)
            spec.pop("unit")
            submission = services.submit_practice(
                author,
                unit=unit,
                index=index,
                themes=_themes(spec.pop("themes")),
                source_space=spaces.get("siec-gminy-wiejskie"),
                **spec,
            )
    return {"index": index, "practices": published, "submission": submission}
