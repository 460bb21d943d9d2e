"""Hand-written gazetteers for the NER training-data assembly and the model file.

Plain lists of public names (countries, US states, large cities, continents and
regions, nationalities and religious/political groups, languages). They decide
GPE/LOC for GUM `place` mentions and are written into models/en-ner.nmm, where
the tagger uses membership as a feature. Derived entries (frequent spaCy/GUM
labels) are added by build_data.py.
"""

COUNTRIES = """Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria
Azerbaijan Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia
Bosnia Botswana Brazil Brunei Bulgaria Burkina Burma Burundi Cambodia Cameroon Canada Chad
Chile China Colombia Comoros Congo Croatia Cuba Cyprus Czechoslovakia Denmark Djibouti Dominica
Ecuador Egypt Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia Germany
Ghana Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran
Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Kiribati Korea Kosovo Kuwait
Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania Luxembourg
Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Micronesia Moldova
Monaco Mongolia Montenegro Morocco Mozambique Myanmar Namibia Nauru Nepal Netherlands Nicaragua
Niger Nigeria Norway Oman Pakistan Palau Palestine Panama Paraguay Peru Philippines Poland
Portugal Qatar Romania Russia Rwanda Samoa Senegal Serbia Seychelles Singapore Slovakia Slovenia
Somalia Spain Sudan Suriname Swaziland Sweden Switzerland Syria Taiwan Tajikistan Tanzania
Thailand Togo Tonga Tunisia Turkey Turkmenistan Tuvalu Uganda Ukraine Uruguay Uzbekistan Vanuatu
Vatican Venezuela Vietnam Yemen Yugoslavia Zaire Zambia Zimbabwe Britain England Scotland Wales
Holland USSR U.S. US USA U.S.A. UK U.K. America Russia Prussia Tibet Greenland Guadeloupe
Martinique Curacao Aruba Bermuda Gibraltar Macao Macau Kurdistan Catalonia Quebec Ontario Alberta
Manitoba Saskatchewan Bavaria Flanders Wallonia Sicily Sardinia Corsica Hawaii Alaska Tasmania
Queensland Victoria Siberia""".split() + [
    "United States", "United States of America", "United Kingdom", "Soviet Union",
    "South Africa", "South Korea", "North Korea", "New Zealand", "Saudi Arabia",
    "Sri Lanka", "Costa Rica", "Puerto Rico", "El Salvador", "Ivory Coast",
    "Dominican Republic", "Czech Republic", "Central African Republic", "Papua New Guinea",
    "Sierra Leone", "Trinidad and Tobago", "United Arab Emirates", "Hong Kong",
    "West Germany", "East Germany", "Great Britain", "Northern Ireland", "Vatican City",
    "San Marino", "Cape Verde", "Equatorial Guinea", "Burkina Faso", "New Caledonia",
    "Taiwan Province", "People's Republic of China", "Republic of Korea", "Ivory Coast",
    "British Columbia", "Nova Scotia", "New Brunswick", "South Australia",
    "Western Australia", "New South Wales",
]

US_STATES = """Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida
Georgia Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland
Massachusetts Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma
Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming
Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Ky. La. Md. Mass. Mich. Minn. Miss. Mo.
Mont. Neb. Nev. Okla. Ore. Pa. Penn. Tenn. Tex. Va. Vt. Wash. Wis. Wyo. Ala. Ariz. Ark.""".split() + [
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Rhode Island", "South Carolina", "South Dakota", "West Virginia", "N.Y.", "N.J.", "N.C.",
    "S.C.", "N.D.", "S.D.", "N.H.", "N.M.", "R.I.", "W.Va.", "D.C.", "Washington D.C.",
    "District of Columbia",
]

CITIES = """London Paris Tokyo Beijing Shanghai Moscow Berlin Bonn Frankfurt Munich Hamburg
Rome Milan Madrid Barcelona Lisbon Vienna Zurich Geneva Brussels Amsterdam Rotterdam Hague
Copenhagen Stockholm Oslo Helsinki Dublin Edinburgh Glasgow Manchester Liverpool Birmingham
Athens Istanbul Ankara Cairo Tehran Baghdad Kuwait Riyadh Jeddah Dubai Jerusalem Tel Aviv
Beirut Damascus Amman Karachi Lahore Islamabad Delhi Bombay Mumbai Calcutta Kolkata Madras
Chennai Bangalore Dhaka Colombo Kathmandu Bangkok Hanoi Saigon Manila Jakarta Singapore
Kuala Lumpur Seoul Pyongyang Osaka Kyoto Yokohama Nagoya Taipei Canton Guangzhou Shenzhen
Sydney Melbourne Brisbane Perth Adelaide Canberra Auckland Wellington Toronto Montreal
Vancouver Ottawa Calgary Winnipeg Chicago Boston Philadelphia Detroit Houston Dallas Atlanta
Miami Denver Seattle Phoenix Cleveland Pittsburgh Baltimore Minneapolis Milwaukee Tulsa
Omaha Memphis Nashville Austin Orlando Tampa Portland Sacramento Oakland Honolulu Anchorage
Buenos Aires Santiago Lima Bogota Caracas Quito Brasilia Rio Havana Lagos Nairobi Johannesburg
Pretoria Durban Kinshasa Accra Dakar Abidjan Algiers Tunis Tripoli Casablanca Rabat Khartoum
Addis Ababa Harare Lusaka Kiev Kyiv Kharkiv Warsaw Prague Budapest Bucharest Sofia Belgrade
Zagreb Minsk Riga Vilnius Tallinn Leningrad Petersburg Vladivostok Tashkent Kabul Baku Tbilisi
Yerevan Chicago Brooklyn Manhattan Queens Bronx Hollywood Washington Louisville Cincinnati
Columbus Indianapolis Kansas Charlotte Richmond Norfolk Hartford Stamford Greenwich""".split() + [
    "New York City", "Los Angeles", "San Francisco", "San Diego", "San Jose", "Las Vegas",
    "New Orleans", "St. Louis", "Salt Lake City", "Mexico City", "Hong Kong", "Rio de Janeiro",
    "Sao Paulo", "São Paulo", "Buenos Aires", "Kuala Lumpur", "Tel Aviv", "New Delhi",
    "Cape Town", "Abu Dhabi", "Kansas City", "Oklahoma City", "Fort Worth", "El Paso",
    "San Antonio", "Long Beach", "Quebec City", "St. Petersburg", "Ho Chi Minh City",
    "Addis Ababa", "Dar es Salaam", "The Hague", "Panama City", "Guatemala City",
]

LOCATIONS = """Europe Asia Africa Antarctica Australasia Oceania Arctic Antarctic Atlantic Pacific
Mediterranean Caribbean Scandinavia Balkans Siberia Sahara Himalayas Alps Andes Amazon Nile
Danube Rhine Thames Mississippi Earth Mars Venus Jupiter Saturn Moon Midwest Gulf Baltic
Eurasia Patagonia Appalachia Sinai Riviera Caucasus Rockies Everest""".split() + [
    "Middle East", "Far East", "Near East", "North America", "South America", "Latin America",
    "Central America", "East Asia", "Southeast Asia", "South Asia", "Central Asia",
    "Western Europe", "Eastern Europe", "West Africa", "East Africa", "North Africa",
    "Southern Africa", "sub-Saharan Africa", "Persian Gulf", "Gulf of Mexico", "North Sea",
    "Red Sea", "Black Sea", "Caspian Sea", "South China Sea", "Indian Ocean", "Atlantic Ocean",
    "Pacific Ocean", "Arctic Ocean", "West Bank", "Gaza Strip", "Pacific Rim", "Great Lakes",
    "Rocky Mountains", "Silicon Valley", "Wall Street", "West Coast", "East Coast",
    "Gulf Coast", "Third World", "the Gulf", "Horn of Africa", "Strait of Hormuz",
]

# Words that end a LOC or FAC name ("Hudson River", "Heathrow Airport").
LOC_SUFFIXES = """River Mountains Mountain Mount Mt. Lake Sea Ocean Island Islands Bay Valley
Desert Gulf Peninsula Coast Forest Canyon Strait Straits Basin Plain Plains Glacier Falls
Cape Delta Hills Range Reef Continent Region Archipelago""".split()
FAC_SUFFIXES = """Airport Bridge Street St. Avenue Ave. Road Boulevard Highway Freeway Tunnel Hall
Museum Stadium Arena Tower Towers Building Center Centre Palace Castle Cathedral Church Temple
Mosque Station Square Park Gardens Hospital Library Theatre Theater Dam Canal Port Harbor
Harbour Terminal Prison Monument Memorial Gallery Plaza Mall Hotel Pier Chapel Abbey Zoo""".split()

NATIONALITIES = """Afghan Albanian Algerian American Americans Angolan Argentine Argentinian
Armenian Australian Austrian Bangladeshi Belgian Bolivian Bosnian Brazilian British Briton
Britons Bulgarian Burmese Cambodian Cameroonian Canadian Chilean Chinese Colombian Congolese
Croatian Cuban Cypriot Czech Danish Dutch Ecuadorian Egyptian English Eritrean Estonian
Ethiopian European Europeans Filipino Finnish French Georgian German Germans Ghanaian Greek
Greeks Guatemalan Haitian Honduran Hungarian Icelandic Indian Indians Indonesian Iranian
Iranians Iraqi Iraqis Irish Israeli Israelis Italian Italians Jamaican Japanese Jordanian
Kenyan Korean Koreans Kuwaiti Latvian Lebanese Liberian Libyan Lithuanian Malaysian Maltese
Mexican Mexicans Mongolian Moroccan Mozambican Namibian Nepalese Nicaraguan Nigerian Norwegian
Pakistani Palestinian Palestinians Panamanian Paraguayan Persian Peruvian Polish Portuguese
Romanian Russian Russians Rwandan Saudi Saudis Scottish Scots Senegalese Serbian Serb Serbs
Singaporean Slovak Slovenian Somali Spanish Sri Lankan Sudanese Swedish Swiss Syrian Taiwanese
Thai Tunisian Turkish Turks Ugandan Ukrainian Ukrainians Uruguayan Uzbek Venezuelan Vietnamese
Welsh Yemeni Yugoslav Zambian Zimbabwean Soviet Soviets Arab Arabs Arabian Asian Asians African
Africans Latin Latino Latinos Hispanic Hispanics Caribbean Scandinavian Nordic Western Westerners
Eastern Jewish Jews Jew Muslim Muslims Moslem Moslems Islamic Christian Christians Catholic
Catholics Protestant Protestants Buddhist Buddhists Hindu Hindus Sikh Sikhs Orthodox Sunni Shi'ite
Shiite Shia Democrat Democrats Democratic Republican Republicans Communist Communists Socialist
Socialists Conservative Conservatives Labour Liberal Liberals Tory Tories Kurdish Kurds Maori
Aboriginal Texan Californian Floridian Parisian Londoner Bavarian Sicilian Basque Catalan
Flemish Tamil Tamils Pashtun Sinhalese Hutu Tutsi Zulu Cherokee Navajo Apache Sioux Olmec
Mayan Aztec Inca Roman Romans Byzantine Ottoman Victorian Confucian Anglo Saxon Celtic Norman
Viking Vikings Puritan Quaker Mormon Mormons Methodist Baptist Lutheran Anglican Evangelical
Pentecostal Zionist Marxist Nazi Nazis Fascist Gaelic Hebrew Yiddish Sephardic""".split()

LANGUAGES = """English French Spanish German Italian Portuguese Russian Chinese Mandarin Cantonese
Japanese Korean Arabic Hebrew Hindi Urdu Bengali Persian Farsi Turkish Greek Latin Dutch
Swedish Norwegian Danish Finnish Polish Czech Hungarian Romanian Bulgarian Serbian Croatian
Ukrainian Vietnamese Thai Indonesian Malay Swahili Tagalog Tamil Telugu Punjabi Gujarati
Yiddish Esperanto Sanskrit Welsh Gaelic Catalan Basque Icelandic Maori Zulu Amharic
Yoruba Hausa Igbo Coptic Aramaic Navajo""".split()

# Holidays and named dates OntoNotes labels DATE rather than EVENT.
HOLIDAYS = """Christmas Easter Halloween Thanksgiving Hanukkah Ramadan Passover Diwali""".split() + [
    "New Year", "New Year's Day", "New Year's Eve", "Christmas Eve", "Christmas Day",
    "Labor Day", "Memorial Day", "Independence Day", "Valentine's Day",
]

# Words that end an organisation name.
ORG_SUFFIXES = """Inc Inc. Corp Corp. Co Co. Ltd Ltd. Plc PLC plc LLC L.P. LP AG SA S.A. NV N.V.
BV B.V. GmbH SpA S.p.A. AB Bhd Pty Group Holdings Holding Corporation Company Industries
Bank Bancorp Bancshares Airlines Airways Motors Systems Technologies Enterprises Partners
Associates Trust Fund Exchange Commission Committee Council Association Institute University
College School Agency Ministry Department Board Federation Union Party Foundation Society
Organization Organisation Authority Services International Petroleum Oil Energy Resources
Mines Mining Chemical Chemicals Steel Electric Communications Telecom Securities Capital
Financial Insurance Investments Properties Stores Foods Products Laboratories Pharmaceuticals
Court Senate Congress Parliament Assembly Army Navy Police Reserve Network Club Team League""".split()

# Titles that come before a person's name.
PERSON_TITLES = """Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Sir Dame Lord Lady President Chairman
Minister Secretary Senator Sen. Rep. Gov. Governor Judge Justice King Queen Prince Princess
Pope Rev. Father Saint St. Gen. Col. Capt. Lt. Sgt. Adm. Chancellor Premier Mayor
spokesman spokeswoman analyst chairman president director officer economist""".split()

# Common given names (English and international), a cue for PERSON.
FIRST_NAMES = """James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel
Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald
Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon
Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose Adam
Henry Nathan Douglas Zachary Peter Kyle Walter Ethan Jeremy Harold Keith Christian Roger Noah
Gerald Carl Terry Sean Austin Arthur Lawrence Jesse Dylan Bryan Joe Jordan Billy Bruce Albert
Willie Gabriel Logan Alan Juan Wayne Roy Ralph Randy Eugene Vincent Russell Elijah Louis Bobby
Philip Johnny Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa
Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah
Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela
Nicole Emma Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria Heather
Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith Megan
Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean Alice
Madison Doris Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia
Marie Diana Brittany Natalie Isabella Charlotte Rose Alexis Kayla Hans Klaus Jurgen Helmut
Wolfgang Gerhard Karl Heinz Pierre Jean Jacques Francois Michel Alain Philippe Giovanni Giuseppe
Mario Carlos Luis Jorge Miguel Pedro Manuel Antonio Francisco Fernando Ricardo Eduardo Ahmed
Mohammed Mohamed Muhammad Ali Hassan Hussein Abdul Omar Ibrahim Yusuf Mustafa Khalid Vladimir
Sergei Mikhail Boris Dmitry Dmytro Ivan Igor Yuri Viktor Andrei Oleg Nikolai Alexei Olga Natalia
Hiroshi Takeshi Kenji Yoshio Akira Noboru Kiichi Yasuhiro Satoshi Li Wang Zhang Chen Liu Yang
Kim Lee Park Raj Rajiv Sanjay Amit Ravi Indira Benazir Nelson Desmond Kofi Jomo Yitzhak Shimon
Menachem Golda Margaret Helmut Jacques Francois Felipe Rafael Luiz Ronaldo Javier Alberto""".split()

# Well-known organisations (international bodies, agencies, exchanges, parties).
ORGANIZATIONS = """OPEC NATO UNESCO UNICEF IMF GATT OECD ASEAN NASA FBI CIA EEC EU UN WHO WTO FIFA
IAEA Interpol Comecon Fed Bundesbank Nasdaq Reuters""".split() + [
    "United Nations", "United Nations General Assembly", "UN General Assembly", "General Assembly",
    "Security Council", "UN Security Council", "United Nations Security Council",
    "European Union", "European Commission", "European Community", "European Parliament",
    "European Central Bank", "World Bank", "International Monetary Fund", "World Health Organization",
    "World Trade Organization", "Red Cross", "International Red Cross", "Federal Reserve",
    "Federal Reserve Board", "Bank of England", "Bank of Japan", "Bank of Canada",
    "New York Stock Exchange", "London Stock Exchange", "Tokyo Stock Exchange",
    "Securities and Exchange Commission", "Supreme Court", "White House", "Pentagon",
    "State Department", "Treasury Department", "Justice Department", "Commerce Department",
    "Agriculture Department", "Labor Department", "Defense Department", "Congress", "Senate",
    "House of Representatives", "House of Commons", "House of Lords", "Kremlin",
    "Democratic Party", "Republican Party", "Labour Party", "Conservative Party",
    "Communist Party", "African Union", "Arab League", "World Economic Forum",
    "International Coffee Organization", "International Energy Agency",
    "Organization of Petroleum Exporting Countries", "Commodity Credit Corporation",
    "Associated Press", "New York Times", "Wall Street Journal", "Washington Post",
    "Financial Times", "BBC", "CNN", "Xinhua", "Tass",
]
