"""The six priority areas of "Åmål i världen" and a glossary, for the matcher tests.

Written from the strategy's section "Prioriterade områden" (../shared/seed/amal-i-varlden.txt),
independently of profile.yaml, so that the tests do not change when the profile is edited.
"""

from __future__ import annotations

from matchers.model import AreaSpec, Glossary

AREAS = [
    AreaSpec(
        key="sysselsattning",
        name="Sysselsättning och hållbar tillväxt",
        description=(
            "Bidra till arbete och tillväxt i regionen. Goda kontakter med näringslivet samt aktivt "
            "arbetsmarknads- och integrationsarbete. Stärka företag i Åmål och marknadsföra Åmål som en "
            "plats att etablera sig på. Främja näringslivets utveckling, öka turism och skapa ett "
            "attraktivt näringslivsklimat."
        ),
        terms_sv=[
            "sysselsättning", "hållbar tillväxt", "arbetsmarknad", "integration", "näringsliv",
            "företagande", "entreprenörskap", "etablering", "nyanlända", "jobb", "turism",
        ],
        terms_en=[
            "employment", "jobs", "sustainable growth", "labour market", "integration of migrants",
            "entrepreneurship", "business development", "SMEs", "local economy", "tourism",
        ],
        threshold=40,
    ),
    AreaSpec(
        key="kompetens",
        name="Kunskapsutbyte och kompetensutveckling",
        description=(
            "Kunskapsutbyte och kompetensutveckling bland förtroendevalda och anställda. Utbildningar och "
            "studieresor. Internationella kontakter för barn och unga i förskoleklass, grundskola och "
            "fritidshem; internationellt perspektiv och förståelse för kulturell mångfald."
        ),
        terms_sv=[
            "kunskapsutbyte", "kompetensutveckling", "erfarenhetsutbyte", "studieresa", "utbildning",
            "fortbildning", "personalutbyte", "skola", "lärare", "elever", "förtroendevalda",
        ],
        terms_en=[
            "knowledge exchange", "capacity building", "exchange of experience", "peer learning",
            "study visit", "staff mobility", "training", "school education", "teachers", "pupils",
            "job shadowing",
        ],
        threshold=40,
    ),
    AreaSpec(
        key="levnadsvillkor",
        name="Goda levnadsvillkor",
        description=(
            "Hållbar utveckling och en attraktiv kommun för invånarna. Marknadsföra Åmål som turistmål, "
            "utveckla besöksnäringen och generera arbetstillfällen. Föreningar och ideella verksamheter "
            "ska ges stöttning till internationalisering och projektfinansiering."
        ),
        terms_sv=[
            "hållbar utveckling", "livskvalitet", "attraktiv kommun", "besöksnäring", "turistmål",
            "föreningsliv", "föreningar", "ideella organisationer", "civilsamhälle", "kultur",
            "folkhälsa", "landsbygd", "internationalisering",
        ],
        terms_en=[
            "sustainable development", "quality of life", "visitor economy", "cultural heritage",
            "civil society", "associations", "non-profit organisations", "culture", "public health",
            "rural areas", "inclusion",
        ],
        threshold=40,
    ),
    AreaSpec(
        key="ungdom",
        name="Öka ungdomars möjlighet till internationell rörlighet",
        description=(
            "Unga ges möjligheter till internationell rörlighet och erfarenheter utomlands via "
            "utbytesstipendier, ungdomsutbyten, volontärtjänst och praktik. Språkkunskaper, korttidsplatser "
            "som volontär för unga som står långt från arbetsmarknaden."
        ),
        terms_sv=[
            "ungdomsutbyte", "ungdomar", "unga", "internationell rörlighet", "volontär", "volontärtjänst",
            "praktik", "utbytesstipendium", "språkkunskaper", "Europeiska solidaritetskåren", "elevutbyte",
        ],
        terms_en=[
            "youth exchange", "young people", "youth", "learning mobility", "volunteering",
            "European Solidarity Corps", "traineeship", "internship", "Erasmus+ Youth", "DiscoverEU",
            "pupil mobility", "work placement abroad",
        ],
        threshold=40,
    ),
    AreaSpec(
        key="vanort",
        name="Vänortssamarbete och kommunala partnerskap",
        description=(
            "Vänorts- och partnerskapssamarbetet är en viktig del i det internationella arbetet: utbyta "
            "erfarenheter och vara samarbetspartner inom områden av gemensamt intresse. Utveckla "
            "existerande samarbeten och vara öppna för nya."
        ),
        terms_sv=[
            "vänort", "vänortssamarbete", "kommunala partnerskap", "vänortsutbyte", "nätverk av städer",
            "medborgarmöten", "kommunsamarbete", "samarbete mellan kommuner",
        ],
        terms_en=[
            "town twinning", "twin towns", "sister cities", "municipal partnership", "networks of towns",
            "networks of cities", "citizens' engagement", "cooperation between municipalities",
        ],
        threshold=40,
    ),
    AreaSpec(
        key="finansiering",
        name="Extern finansiering",
        description=(
            "Som liten kommun med begränsade resurser samarbeta med andra kommuner och organisationer. "
            "Partnerskap och deltagande i gemensamma utvecklingsprojekt som kan generera extra resurser."
        ),
        terms_sv=[
            "extern finansiering", "projektmedel", "utvecklingsmedel", "medfinansiering", "kommuner",
            "partnerskap", "utvecklingsprojekt", "projektstöd",
        ],
        terms_en=[
            "local authorities", "municipalities", "public authorities", "co-financing", "partnership",
            "cross-border cooperation", "interregional cooperation", "small municipalities",
        ],
        threshold=40,
    ),
]  # fmt: skip

GLOSSARY: Glossary = [
    ("vänort", ["town twinning", "twin towns", "sister cities", "twinned towns"]),
    ("ungdomsutbyte", ["youth exchange", "youth exchanges"]),
    ("ungdom", ["youth", "young people"]),
    ("volontär", ["volunteering", "volunteer", "European Solidarity Corps"]),
    ("praktik", ["traineeship", "internship", "work placement"]),
    ("kompetensutveckling", ["capacity building", "training", "skills development", "upskilling"]),
    ("kunskapsutbyte", ["knowledge exchange", "exchange of experience", "peer learning",
                        "exchange of good practice"]),
    ("studieresa", ["study visit", "job shadowing"]),
    ("rörlighet", ["mobility"]),
    ("besöksnäring", ["tourism", "visitor economy"]),
    ("förening", ["association", "civil society organisation", "NGO"]),
    ("civilsamhälle", ["civil society"]),
    ("kommun", ["municipality", "local authority", "local authorities"]),
    ("partnerskap", ["partnership"]),
    ("sysselsättning", ["employment", "jobs"]),
    ("arbetsmarknad", ["labour market"]),
    ("integration", ["integration of migrants", "inclusion of migrants"]),
    ("företag", ["SMEs", "enterprises", "businesses"]),
    ("medborgare", ["citizens"]),
    ("skola", ["school"]),
    ("landsbygd", ["rural areas", "rural"]),
    ("medfinansiering", ["co-financing", "co-funding"]),
    ("gränsöverskridande samarbete", ["cross-border cooperation"]),
]  # fmt: skip
