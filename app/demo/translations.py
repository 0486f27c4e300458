"""Polish and Urdu for the demo's areas of weakness and two published responses.

DRAFTS, written for the demo and waiting to be checked by a native speaker of each language
(the accessibility statement says so). The product shows translations as given, so a checked
version replaces these through the translation editor (/manage/translations). Terms kept in
English where families meet them in English: SEND, NHS, CAMHS, ADHD, PACT, "plan EHC" /
"EHC پلان".
"""

AREAS = {
    1: {
        "pl": {
            "title": "Zaufanie rodziców, że potrzeby dzieci zostaną zaspokojone",
            "finding": "Powszechne obawy rodziców, że lokalne służby nie są w stanie, a w "
            "niektórych przypadkach nie chcą, zaspokoić potrzeb ich dzieci.",
            "plain_summary": "Wielu rodziców powiedziało inspektorom, że nie wierzy, iż rada "
            "hrabstwa, NHS i szkoły mogą lub chcą zaspokoić potrzeby ich dziecka. Zbyt często, "
            "gdy rodzice i szkoły kontaktowali się z radą, nikt nie odpowiadał. Systemy obsługi "
            "zapytań i skarg sobie nie radziły.",
            "young_person_summary": "Wielu rodziców uważa, że osoby odpowiedzialne nie pomagają "
            "dzieciom i młodzieży z SEND tak, jak tego potrzebują. Czasami, gdy rodziny prosiły "
            "o pomoc, nikt nie odpisał.",
        },
        "ur": {
            "title": "والدین کا یہ اعتماد کہ بچوں کی ضروریات پوری ہوں گی",
            "finding": "والدین میں یہ عام تشویش کہ مقامی علاقہ ان کے بچوں کی ضروریات پوری کرنے "
            "کے قابل نہیں، اور بعض صورتوں میں ایسا کرنے پر آمادہ بھی نہیں۔",
            "plain_summary": "بہت سے والدین نے انسپکٹروں کو بتایا کہ انہیں یقین نہیں کہ کونسل، "
            "NHS اور اسکول ان کے بچے کی ضروریات پوری کر سکتے ہیں یا کریں گے۔ اکثر جب والدین "
            "اور اسکولوں نے کونسل سے رابطہ کیا تو کسی نے جواب نہیں دیا۔ سوالات اور شکایات "
            "سنبھالنے کا نظام یہ بوجھ نہیں اٹھا سکا۔",
            "young_person_summary": "بہت سے والدین محسوس کرتے ہیں کہ ذمہ دار لوگ SEND والے "
            "بچوں اور نوجوانوں کی اس طرح مدد نہیں کر رہے جیسے انہیں ضرورت ہے۔ کبھی کبھی جب "
            "خاندانوں نے مدد مانگی تو کسی نے جواب نہیں دیا۔",
        },
    },
    2: {
        "pl": {
            "title": "Edukacja włączająca w szkołach",
            "finding": "Nierówna jakość wsparcia i zaangażowania szkół w edukację włączającą "
            "oraz brak gotowości niektórych szkół do przyjmowania dzieci i młodzieży z SEND.",
            "plain_summary": "Niektóre szkoły przyjmują dzieci z SEND z otwartością i dobrze je "
            "uczą. Inne nie chcą ich przyjmować, a miejsca w placówkach specjalistycznych nie "
            "zawsze są przydzielane według potrzeb. Szkolenia dotarły do wielu szkół, ale "
            "jeszcze nie zmieniły sytuacji w całym hrabstwie.",
            "young_person_summary": "Niektóre szkoły świetnie dbają o to, żeby młodzi ludzie z "
            "SEND byli częścią szkolnej społeczności. Inne szkoły nie przyjmują ich życzliwie. "
            "Każda szkoła powinna sprawić, że czujesz się w niej dobrze, i pomagać ci w nauce.",
        },
        "ur": {
            "title": "اسکولوں میں شمولیت",
            "finding": "اسکولوں میں سہولیات کے معیار اور شمولیت کے عزم میں بڑا فرق، اور بعض "
            "اسکولوں کا SEND والے بچوں اور نوجوانوں کو جگہ دینے پر آمادہ نہ ہونا۔",
            "plain_summary": "کچھ اسکول SEND والے بچوں کا خیرمقدم کرتے ہیں اور انہیں اچھی طرح "
            "پڑھاتے ہیں۔ کچھ انہیں داخلہ دینے پر تیار نہیں، اور خصوصی اسکولوں کی جگہیں ہمیشہ "
            "ضرورت کے مطابق نہیں دی جاتیں۔ تربیت بہت سے اسکولوں تک پہنچ چکی ہے، لیکن ابھی "
            "پوری کاؤنٹی میں حالات نہیں بدلے۔",
            "young_person_summary": "کچھ اسکول SEND والے نوجوانوں کو ساتھ شامل کرنے میں بہت "
            "اچھے ہیں۔ کچھ اسکول ان کا خیرمقدم نہیں کرتے۔ ہر اسکول کو چاہیے کہ آپ کو خوش آمدید "
            "محسوس کرائے اور سیکھنے میں آپ کی مدد کرے۔",
        },
    },
    3: {
        "pl": {
            "title": "Udział rodziców i opiekunów w projektowaniu usług",
            "finding": "Ograniczona rola rodziców i opiekunów w ocenianiu i projektowaniu usług "
            "dla dzieci i młodzieży z SEND.",
            "plain_summary": "Rodzice i opiekunowie mają zbyt mały wpływ na to, jak usługi są "
            "sprawdzane i projektowane. Forum rodziców i opiekunów PACT ciężko pracuje, ale nie "
            "dociera do wystarczającej liczby rodzin, a zbyt wielu rodziców nigdy o nim nie "
            "słyszało.",
            "young_person_summary": "Rodziny mają za mało okazji, żeby pomagać w planowaniu "
            "usług, z których korzystają. Za mało osób wie o grupie, która zabiera głos w "
            "imieniu rodziców.",
        },
        "ur": {
            "title": "خدمات کی تیاری میں والدین اور نگہداشت کرنے والوں کا کردار",
            "finding": "SEND والے بچوں اور نوجوانوں کی خدمات کا جائزہ لینے اور انہیں تیار کرنے "
            "میں والدین اور نگہداشت کرنے والوں کا محدود کردار۔",
            "plain_summary": "خدمات کو جانچنے اور بنانے میں والدین اور نگہداشت کرنے والوں کی "
            "رائے بہت کم لی جاتی ہے۔ والدین کا فورم PACT بہت محنت کرتا ہے، لیکن کافی خاندانوں "
            "تک نہیں پہنچ پاتا، اور بہت سے والدین نے اس کا نام بھی نہیں سنا۔",
            "young_person_summary": "خاندانوں کو ان خدمات کی منصوبہ بندی میں مدد کرنے کے کافی "
            "مواقع نہیں ملتے جنہیں وہ استعمال کرتے ہیں۔ بہت کم لوگ اس گروپ کے بارے میں جانتے "
            "ہیں جو والدین کی آواز اٹھاتا ہے۔",
        },
    },
    4: {
        "pl": {
            "title": "Wspólne zamawianie usług przez radę hrabstwa i NHS",
            "finding": "Obecne zasady wspólnego zamawiania usług nie pozwalają usunąć znanych "
            "luk ani wyeliminować długotrwałych słabości w usługach dla dzieci i młodzieży z "
            "SEND.",
            "plain_summary": "Rada hrabstwa i NHS planują i kupują niektóre usługi wspólnie i "
            "współpracują ściślej niż wcześniej, ale luki, o których wszyscy wiedzą, nie zostały "
            "zamknięte. Dzieci, których potrzeby leżą pomiędzy opieką zdrowotną a społeczną, "
            "nadal nie dostają pomocy.",
            "young_person_summary": "Rada hrabstwa i NHS powinny współpracować, żeby zapewnić "
            "odpowiednie usługi. Współpracują już lepiej, ale niektórzy młodzi ludzie wciąż "
            "zostają bez pomocy.",
        },
        "ur": {
            "title": "کونسل اور NHS کی مشترکہ خدمات کی خریداری",
            "finding": "مشترکہ خریداری کے موجودہ انتظامات SEND والے بچوں اور نوجوانوں کی خدمات "
            "میں معلوم خلا پُر کرنے اور پرانی کمزوریاں دور کرنے میں ناکام ہیں۔",
            "plain_summary": "کونسل اور NHS کچھ خدمات کی منصوبہ بندی اور خریداری مل کر کرتے "
            "ہیں، اور پہلے سے زیادہ قریب ہو کر کام کرتے ہیں، لیکن وہ خلا جن کے بارے میں سب "
            "جانتے ہیں ابھی تک پُر نہیں ہوئے۔ جن بچوں کی ضروریات صحت اور سماجی نگہداشت کے "
            "درمیان آتی ہیں وہ اب بھی محروم رہ جاتے ہیں۔",
            "young_person_summary": "کونسل اور NHS کو مل کر صحیح خدمات مہیا کرنی ہیں۔ وہ اب "
            "پہلے سے بہتر مل کر کام کر رہے ہیں، لیکن کچھ نوجوان اب بھی مدد کے بغیر رہ جاتے ہیں۔",
        },
    },
    5: {
        "pl": {
            "title": "Wyniki i postępy dzieci i młodzieży z SEND",
            "finding": "Niskie wyniki i słabe postępy zbyt wielu dzieci i młodzieży z SEND.",
            "plain_summary": "Zbyt wiele dzieci i młodzieży z SEND nie radzi sobie w szkole tak "
            "dobrze, jak mogłoby, i zbyt wiele opuszcza lekcje, choć wydaje się na to więcej "
            "pieniędzy niż kiedykolwiek.",
            "young_person_summary": "Zbyt wielu młodych ludzi z SEND nie dostaje pomocy, której "
            "potrzebują, żeby się uczyć i dobrze sobie radzić. Wielu z nich opuszcza lekcje.",
        },
        "ur": {
            "title": "SEND والے بچوں اور نوجوانوں کی کارکردگی اور ترقی",
            "finding": "بہت سے SEND والے بچوں اور نوجوانوں کی کمزور کارکردگی اور سست ترقی۔",
            "plain_summary": "بہت سے SEND والے بچے اور نوجوان اسکول میں اتنا اچھا نہیں کر پاتے "
            "جتنا وہ کر سکتے ہیں، اور بہت سے اسکول سے غیر حاضر رہتے ہیں، حالانکہ اب پہلے سے "
            "کہیں زیادہ پیسہ خرچ ہو رہا ہے۔",
            "young_person_summary": "بہت سے SEND والے نوجوانوں کو سیکھنے اور آگے بڑھنے کے لیے "
            "وہ مدد نہیں مل رہی جس کی انہیں ضرورت ہے۔ بہت سے اسکول نہیں جا پا رہے۔",
        },
    },
    6: {
        "pl": {
            "title": "Plany edukacji, zdrowia i opieki (plany EHC)",
            "finding": "Niejednolita jakość procesu EHC; brak aktualnych ocen i ograniczony "
            "wkład specjalistów ochrony zdrowia i opieki społecznej; słabe procedury "
            "sprawdzania i przeglądu jakości planów EHC.",
            "plain_summary": "Jakość planów EHC za bardzo się różni. Oceny są często "
            "nieaktualne, specjaliści ochrony zdrowia i opieki społecznej wnoszą za mało, "
            "przygotowanie planów trwa za długo, a co roku sprawdza się za mało planów, żeby "
            "upewnić się, że nadal pasują do dziecka.",
            "young_person_summary": "Plan EHC określa, jaką pomoc należy ci zapewnić. Niektóre "
            "plany są dobre, inne nie. Ich pisanie trwa za długo i są sprawdzane zbyt rzadko.",
        },
        "ur": {
            "title": "تعلیم، صحت اور نگہداشت (EHC) پلان",
            "finding": "EHC کے عمل کا غیر یکساں معیار؛ تازہ جائزوں کی کمی اور صحت و نگہداشت "
            "کے ماہرین کا محدود حصہ؛ اور EHC پلانز کے معیار کو جانچنے اور ان کا جائزہ لینے کے "
            "کمزور طریقے۔",
            "plain_summary": "EHC پلانز کا معیار بہت مختلف ہوتا ہے۔ جائزے اکثر پرانے ہوتے ہیں، "
            "صحت اور نگہداشت کے ماہرین بہت کم حصہ ڈالتے ہیں، پلان بننے میں بہت وقت لگتا ہے، "
            "اور ہر سال بہت کم پلانز کا جائزہ لیا جاتا ہے کہ وہ اب بھی بچے کے لیے موزوں ہیں یا "
            "نہیں۔",
            "young_person_summary": "EHC پلان بتاتا ہے کہ آپ کو کیا مدد ملنی چاہیے۔ کچھ پلان "
            "اچھے ہیں، کچھ نہیں۔ انہیں لکھنے میں بہت وقت لگتا ہے اور انہیں کافی بار جانچا نہیں "
            "جاتا۔",
        },
    },
    7: {
        "pl": {
            "title": "Zarządzanie i planowanie działań",
            "finding": "Słabe zarządzanie systemem wsparcia SEND i EHC na poziomie strategicznym "
            "i operacyjnym oraz brak solidnych planów działania, które usunęłyby znane "
            "słabości.",
            "plain_summary": "Zespół, który miał kierować poprawą, nie działał. Plany naprawy "
            "znanych problemów były słabe, a obserwowane wskaźniki nie pokazywały, czy sytuacja "
            "dzieci się poprawia.",
            "young_person_summary": "Osoby odpowiedzialne nie sprawdzały dokładnie, czy sytuacja "
            "się poprawia, a ich plany naprawy problemów nie były wystarczająco dobre.",
        },
        "ur": {
            "title": "نگرانی اور لائحہ عمل کی منصوبہ بندی",
            "finding": "EHC نظام میں SEND انتظامات کی حکمتِ عملی اور عملی دونوں سطحوں پر کمزور "
            "نگرانی، اور معلوم کمزوریاں دور کرنے کے لیے مضبوط لائحہ عمل کا نہ ہونا۔",
            "plain_summary": "بہتری کی قیادت کے لیے بنایا گیا بورڈ کام نہیں کر سکا۔ معلوم مسائل "
            "حل کرنے کے منصوبے کمزور تھے، اور جن پیمانوں پر نظر رکھی جا رہی تھی وہ یہ نہیں "
            "دکھاتے تھے کہ بچوں کے لیے حالات بہتر ہو رہے ہیں یا نہیں۔",
            "young_person_summary": "ذمہ دار لوگوں نے ٹھیک سے نہیں جانچا کہ حالات بہتر ہو رہے "
            "ہیں یا نہیں، اور مسائل حل کرنے کے ان کے منصوبے کافی مضبوط نہیں تھے۔",
        },
    },
    8: {
        "pl": {
            "title": "Czas oczekiwania na usługi zdrowotne",
            "finding": "Niedopuszczalnie długi czas oczekiwania dzieci i młodzieży na przyjęcie "
            "przez niektóre służby zdrowia, zwłaszcza CAMHS, usługi drugiego stopnia (tier "
            "two), terapię mowy i języka (SALT), wypożyczalnię wózków inwalidzkich oraz "
            "diagnozę i kontrolę w kierunku autyzmu (ASD) i ADHD.",
            "plain_summary": "Dzieci czekają o wiele za długo na niektóre usługi NHS: pomoc w "
            "zakresie zdrowia psychicznego (CAMHS), terapię mowy i języka, wózki inwalidzkie "
            "oraz diagnozę autyzmu i ADHD.",
            "young_person_summary": "Młodzi ludzie czekają o wiele za długo na niektóre usługi "
            "NHS, na przykład wsparcie w zakresie zdrowia psychicznego, pomoc w mówieniu i "
            "porozumiewaniu się, wózki inwalidzkie oraz badania w kierunku autyzmu lub ADHD.",
        },
        "ur": {
            "title": "صحت کی خدمات کے لیے انتظار کا وقت",
            "finding": "بعض صحت کی خدمات، خاص طور پر CAMHS، ٹیئر ٹو خدمات، SALT، وہیل چیئر "
            "سروس، اور ASD اور ADHD کی تشخیص اور جائزے کے لیے بچوں اور نوجوانوں کا ناقابلِ قبول "
            "حد تک طویل انتظار۔",
            "plain_summary": "بچوں کو NHS کی بعض خدمات کے لیے بہت زیادہ انتظار کرنا پڑتا ہے: "
            "ذہنی صحت (CAMHS)، بول چال اور زبان کی تھراپی، وہیل چیئرز، اور آٹزم اور ADHD کی "
            "تشخیص۔",
            "young_person_summary": "نوجوانوں کو NHS کی بعض خدمات کے لیے بہت لمبا انتظار کرنا "
            "پڑتا ہے، جیسے ذہنی صحت کی مدد، بولنے اور بات چیت میں مدد، وہیل چیئرز، اور آٹزم یا "
            "ADHD کی جانچ۔",
        },
    },
    9: {
        "pl": {
            "title": "Ocena i poprawa wyników",
            "finding": "Brak skutecznych systemów oceny i poprawy wyników tych dzieci i "
            "młodzieży, których dotychczasowe postępy ograniczyły niedostatki wsparcia.",
            "plain_summary": "Nie ma wiarygodnego sposobu, żeby odnaleźć dzieci i młodzież, "
            "którym w przeszłości zaszkodziło słabe wsparcie, ani żeby sprawdzić, czy ich "
            "sytuacja się teraz poprawia.",
            "young_person_summary": "W przeszłości niektórzy młodzi ludzie zostali zawiedzeni. "
            "Nie ma jeszcze dobrego sposobu, żeby ich odnaleźć i upewnić się, że ich sytuacja "
            "się poprawi.",
        },
        "ur": {
            "title": "نتائج کا جائزہ اور بہتری",
            "finding": "ان بچوں اور نوجوانوں کے نتائج کا جائزہ لینے اور انہیں بہتر بنانے کے "
            "مؤثر نظام کی کمی جن کی اب تک کی ترقی ناکافی سہولیات کی وجہ سے محدود رہی ہے۔",
            "plain_summary": "ایسا کوئی قابلِ بھروسہ طریقہ نہیں جس سے ان بچوں اور نوجوانوں کو "
            "تلاش کیا جا سکے جو ماضی میں کمزور مدد کی وجہ سے پیچھے رہ گئے، یا یہ جانچا جا سکے "
            "کہ اب ان کے لیے حالات بہتر ہو رہے ہیں۔",
            "young_person_summary": "ماضی میں کچھ نوجوانوں کو وہ مدد نہیں ملی جو ملنی چاہیے "
            "تھی۔ ابھی تک کوئی اچھا نظام نہیں جو انہیں تلاش کرے اور یقینی بنائے کہ ان کے لیے "
            "حالات بہتر ہوں۔",
        },
    },
}

# Published "You said, we did" responses, by their English title (voices.RESPONSES).
RESPONSES = {
    "A single number and email for SEND enquiries": {
        "pl": {
            "title": "Jeden numer telefonu i jeden adres e-mail w sprawach SEND",
            "you_said": "Wielu z Was mówiło nam, że e-maile i telefony do zespołu SEND tygodniami "
            "pozostawały bez odpowiedzi i że za każdym razem trzeba było wszystko tłumaczyć od "
            "nowa.",
            "we_did": "Otworzyliśmy punkt obsługi zapytań SEND: jeden numer telefonu i jeden "
            "adres e-mail. Każde zapytanie jest rejestrowane, dostajesz numer referencyjny, a my "
            "odpowiadamy w ciągu pięciu dni roboczych. Co miesiąc publikujemy, jak często udaje "
            "nam się dotrzymać tego terminu.",
        },
        "ur": {
            "title": "SEND سے متعلق سوالات کے لیے ایک نمبر اور ایک ای میل",
            "you_said": "آپ میں سے بہت سے لوگوں نے ہمیں بتایا کہ SEND ٹیم کو بھیجی گئی ای میلز "
            "اور فون کالز کا ہفتوں تک جواب نہیں آتا تھا، اور ہر بار آپ کو ساری بات دوبارہ "
            "سمجھانی پڑتی تھی۔",
            "we_did": "ہم نے SEND سوالات کا مرکز کھول دیا ہے: ایک فون نمبر اور ایک ای میل ایڈریس۔ "
            "ہر سوال درج کیا جاتا ہے، آپ کو ایک حوالہ نمبر ملتا ہے، اور ہم پانچ کام کے دنوں کے "
            "اندر جواب دیتے ہیں۔ ہم ہر مہینے شائع کرتے ہیں کہ ہم کتنی بار یہ وعدہ پورا کر پائے۔",
        },
    },
    "Clearer EHC plans, written with your child's words": {
        "pl": {
            "title": "Bardziej przejrzyste plany EHC, pisane słowami Twojego dziecka",
            "you_said": "Mówiliście nam, że plany były kopiowane i nieaktualne, brakowało w nich "
            "opinii specjalistów ochrony zdrowia, a głosu Waszego dziecka w nich nie było.",
            "we_did": "Razem z PACT zmieniliśmy wzór planu tak, żeby na początku były słowa "
            "samego dziecka. Specjalista kliniczny odpowiedzialny za SEND (Designated Clinical "
            "Officer) co miesiąc sprawdza wybrane plany razem z przedstawicielami rodziców.",
        },
        "ur": {
            "title": "زیادہ واضح EHC پلان، آپ کے بچے کے اپنے الفاظ میں",
            "you_said": "آپ نے ہمیں بتایا کہ پلان نقل کیے جاتے تھے، پرانے ہوتے تھے، ان میں صحت "
            "کے ماہرین کی رائے نہیں ہوتی تھی، اور ان میں آپ کے بچے کی آواز شامل نہیں تھی۔",
            "we_did": "ہم نے PACT کے ساتھ مل کر پلان کا نمونہ بدل دیا ہے تاکہ بچے کے اپنے الفاظ "
            "سب سے پہلے آئیں، اور اب نامزد کلینیکل آفیسر (Designated Clinical Officer) ہر مہینے "
            "والدین کے نمائندوں کے ساتھ کچھ پلانز کی جانچ کرتے ہیں۔",
        },
    },
}
