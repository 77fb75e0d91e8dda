// Compositional training headlines for the default sentiment model (written for this project, 2026-12-03).
// Each family composes a subject with a quantity and a direction, an event, or a procedural notice, and
// the label follows from the parts: a quantity that is bad news when it grows (bad loans, debt, losses)
// going down is positive; a good quantity (profit, orders) going up is positive; scheduled and
// procedural notices are neutral, as is "unchanged, as expected"; audit opinions are labelled by kind.
// None of these headlines is taken from an evaluation set (a test checks for near-duplicates).

export type Label = 'negative' | 'neutral' | 'positive';
export interface Example {
  text: string;
  label: Label;
  lang: 'zh' | 'en';
}

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

// --- English -------------------------------------------------------------------------------------------

const EN_NAMES = [
  'Honeywell',
  'Danone',
  'Novartis',
  'BASF',
  'Citigroup',
  'Lloyds',
  'UBS',
  'Allianz',
  'Hyundai',
  'Nissan',
  'PepsiCo',
  'Target',
  'Merck',
  'AbbVie',
  'Accenture',
  'IBM',
  'Dell',
  'Comcast',
  'Verizon',
  'Anglo American',
  'Barrick',
  'Standard Chartered',
  'BNP Paribas',
  'ING',
  'Commerzbank',
  'Renault',
  'Heineken',
  'Diageo',
  'Sanofi',
  'Bristol Myers',
  'Truist',
  'PNC',
  'US Bancorp',
  'KeyCorp',
  'American Express',
  'Carrefour',
  'Tesco',
  'Infosys',
  'Wipro',
  'Rolls-Royce',
  'Vinci',
  'Orsted',
  'Equinor',
  'TotalEnergies',
  'Hitachi',
  'Fujitsu',
  'Kia',
  'Marriott',
  'Expedia',
  'eBay',
];
const EN_GENERIC = [
  'the lender',
  'the bank',
  'the regional lender',
  'the utility',
  'the carmaker',
  'the chipmaker',
  'the retailer',
  'the insurer',
  'the miner',
  'the drugmaker',
  'the telecom operator',
  'the steelmaker',
  'the conglomerate',
  'the software group',
  'the brewer',
  'the shipping group',
  'the property developer',
  'the airline',
];
const TICKERS = ['HON.O', 'PEP.O', 'MRK.N', 'IBM.N', 'C.N', 'AXP.N', 'TGT.N', 'DELL.N', 'EBAY.O', 'MAR.O'];

function enSubject(rand: Rand): string {
  const r = rand();
  if (r < 0.55) return pick(rand, EN_NAMES);
  if (r < 0.65) return `${pick(rand, EN_NAMES)} (${pick(rand, TICKERS)})`;
  const g = pick(rand, EN_GENERIC);
  return g.charAt(0).toUpperCase() + g.slice(1);
}
const possessive = (s: string) => (s.endsWith('s') ? `${s}'` : `${s}'s`);

/** [phrase, plural] — quantities whose growth is bad news. */
const EN_BAD_QTY: [string, boolean][] = [
  ['loan losses', true],
  ['bad loans', true],
  ['nonperforming loans', true],
  ['non-performing assets', true],
  ['loan-loss provisions', true],
  ['credit losses', true],
  ['provisions for credit losses', true],
  ['charge-offs', true],
  ['net charge-offs', true],
  ['delinquencies', true],
  ['default rates', true],
  ['impairment charges', true],
  ['writedowns', true],
  ['net debt', false],
  ['debt', false],
  ['total borrowings', true],
  ['leverage', false],
  ['operating costs', true],
  ['funding costs', true],
  ['claims costs', true],
  ['losses', true],
  ['net loss', false],
  ['operating loss', false],
  ['cash burn', false],
  ['the bad-debt ratio', false],
  ['the default rate', false],
  ['the delinquency rate', false],
  ['the NPL ratio', false],
  ['credit costs', true],
  ['unit costs', true],
  ['bad-debt charges', true],
  ['soured loans', true],
  ['overdue loans', true],
  ['customer complaints', true],
];
/** [phrase, plural] — quantities whose growth is good news. */
const EN_GOOD_QTY: [string, boolean][] = [
  ['net income', false],
  ['profit', false],
  ['net profit', false],
  ['operating profit', false],
  ['earnings', true],
  ['revenue', false],
  ['sales', true],
  ['orders', true],
  ['bookings', true],
  ['margins', true],
  ['deliveries', true],
  ['free cash flow', false],
  ['same-store sales', true],
  ['subscriptions', true],
  ['market share', false],
  ['earnings per share', false],
  ['the order backlog', false],
  ['gross margin', false],
  ['shipments', true],
  ['cash reserves', true],
  ['premiums', true],
  ['net interest income', false],
  ['fee income', false],
  ['underlying profit', false],
];
/** [plural verb, singular verb]; `{n}` a percentage, `{k}` a number of years, `{o}` an ordinal. */
const EN_DOWN: [string, string][] = [
  ['fall', 'falls'],
  ['fall {n}%', 'falls {n}%'],
  ['drop', 'drops'],
  ['drop {n}%', 'drops {n}%'],
  ['decline', 'declines'],
  ['shrink', 'shrinks'],
  ['ease', 'eases'],
  ['slide', 'slides'],
  ['fall to a {k}-year low', 'falls to a {k}-year low'],
  ['drop to the lowest in {k} years', 'drops to the lowest in {k} years'],
  ['decline for a {o} straight quarter', 'declines for a {o} straight quarter'],
  ['hit a record low', 'hits a record low'],
  ['are cut in half', 'is cut in half'],
  ['fell {n}%', 'fell {n}%'],
  ['dropped sharply', 'dropped sharply'],
  ['shrank', 'shrank'],
  ['retreat', 'retreats'],
  ['tumble {n}%', 'tumbles {n}%'],
  ['come in lower', 'comes in lower'],
  ['fall more than expected', 'falls more than expected'],
  ['down {n}%', 'down {n}%'],
  ['lower by {n}%', 'lower by {n}%'],
];
const EN_UP: [string, string][] = [
  ['rise', 'rises'],
  ['rise {n}%', 'rises {n}%'],
  ['climb', 'climbs'],
  ['jump', 'jumps'],
  ['jump {n}%', 'jumps {n}%'],
  ['surge', 'surges'],
  ['soar', 'soars'],
  ['swell', 'swells'],
  ['balloon', 'balloons'],
  ['mount', 'mounts'],
  ['double', 'doubles'],
  ['hit a record high', 'hits a record high'],
  ['climb to the highest in {k} years', 'climbs to the highest in {k} years'],
  ['rose {n}%', 'rose {n}%'],
  ['increased sharply', 'increased sharply'],
  ['grew', 'grew'],
  ['more than double', 'more than doubles'],
  ['triple', 'triples'],
  ['rise more than expected', 'rises more than expected'],
  ['reach a {k}-year high', 'reaches a {k}-year high'],
  ['up {n}%', 'up {n}%'],
  ['higher by {n}%', 'higher by {n}%'],
];
// Verbs only used with losses: "losses narrow" is good, "losses widen" bad.
const EN_LOSS_DOWN = ['narrow', 'narrows sharply', 'narrowed', 'narrows for a {o} quarter'];
const EN_LOSS_UP = ['widen', 'widens sharply', 'widened', 'deepens'];

const EN_SHARES_UP = [
  'shares jump',
  'shares rise',
  'stock rallies',
  'shares climb {n}%',
  'shares soar',
  'stock gains',
  'shares rebound',
];
const EN_SHARES_DOWN = [
  'shares slump',
  'shares tumble',
  'stock plunges',
  'shares sink {n}%',
  'shares slide',
  'stock falls',
  'shares drop',
];
const EN_BEAT = [
  'beats estimates',
  'tops forecasts',
  'beats expectations',
  'above analyst forecasts',
  'ahead of consensus',
];
const EN_MISS = [
  'misses estimates',
  'falls short of forecasts',
  'below expectations',
  'trails consensus',
  'disappoints analysts',
];

function fillEn(rand: Rand, t: string): string {
  const ords = ['second', 'third', 'fourth', 'fifth', 'sixth'];
  return t
    .replace('{n}', String(int(rand, 2, 60)))
    .replace('{k}', String(int(rand, 3, 15)))
    .replace('{o}', pick(rand, ords));
}

function enQuantityParts(rand: Rand, good: boolean, up: boolean): { noun: string; verb: string } {
  // Plural and singular nouns drawn equally from both lists, so a verb form ("rise" vs "rises") says
  // nothing about which list the noun came from.
  const plural = rand() < 0.5;
  const nouns = (good ? EN_GOOD_QTY : EN_BAD_QTY).filter(([, p]) => p === plural);
  const [noun] = pick(rand, nouns);
  const isLoss = !good && /loss/.test(noun) && !/loan|credit/.test(noun);
  if (isLoss && rand() < 0.4) return { noun, verb: fillEn(rand, pick(rand, up ? EN_LOSS_UP : EN_LOSS_DOWN)) };
  const [pl, sg] = pick(rand, up ? EN_UP : EN_DOWN);
  return { noun, verb: fillEn(rand, plural ? pl : sg) };
}

function enQuantity(rand: Rand, good: boolean, up: boolean): string {
  const { noun, verb } = enQuantityParts(rand, good, up);
  return `${noun} ${verb}`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const EN_SPANS = [
  'first quarter',
  'second quarter',
  'third quarter',
  'fourth quarter',
  'first half',
  'full year',
];

function enQuantityHeadline(rand: Rand, good: boolean, up: boolean): string {
  const s = enSubject(rand);
  const { noun, verb } = enQuantityParts(rand, good, up);
  switch (int(rand, 0, 4)) {
    case 0:
      return `${possessive(s)} ${noun} ${verb}`;
    case 1:
      return `${cap(noun)} at ${s.startsWith('The ') ? s.toLowerCase() : s} ${verb}`;
    case 2:
      return `${s}: ${noun} ${verb}`;
    case 3:
      return `${s} says ${noun} ${verb}`;
    default:
      return `${s} ${pick(rand, EN_SPANS)} ${noun} ${verb}`;
  }
}

function enCompositional(rand: Rand, out: Example[]): void {
  // "The lender" inside a sentence is "the lender"
  const push = (text: string, label: Label) =>
    out.push({
      text: text.replace(
        /(.)\b(The|External|Its) (?=[a-z])/g,
        (_m, a: string, b: string) => `${a}${b.toLowerCase()} `,
      ),
      label,
      lang: 'en',
    });
  // Many draws: each of the ~60 nouns must meet both directions often enough for its pairs to count.
  for (let i = 0; i < 2400; i++) {
    const good = rand() < 0.5;
    const up = rand() < 0.5;
    push(enQuantityHeadline(rand, good, up), good === up ? 'positive' : 'negative');
  }
  // Share move explained by a quantity, polarity agreeing.
  for (let i = 0; i < 600; i++) {
    const positive = rand() < 0.5;
    const good = rand() < 0.5;
    const up = good === positive;
    const s = enSubject(rand);
    const move = fillEn(rand, pick(rand, positive ? EN_SHARES_UP : EN_SHARES_DOWN));
    const qv = enQuantity(rand, good, up);
    const text = rand() < 0.6 ? `${s} ${move} as ${qv}` : `${s} ${qv}; ${move}`;
    push(text, positive ? 'positive' : 'negative');
  }
  // Strong results against estimates.
  const strongUp = [
    'doubles',
    'more than doubles',
    'triples',
    'soars {n}%',
    'jumps {n}%',
    'surges',
    'hits a record',
  ];
  const strongDown = [
    'halves',
    'plunges {n}%',
    'collapses',
    'slumps {n}%',
    'is wiped out',
    'drops by half',
    'tumbles',
  ];
  for (let i = 0; i < 300; i++) {
    const positive = rand() < 0.5;
    const s = enSubject(rand);
    const q = pick(rand, [
      'net income',
      'quarterly profit',
      'net profit',
      'operating profit',
      'revenue',
      'first-half profit',
    ]);
    const v = fillEn(rand, pick(rand, positive ? strongUp : strongDown));
    const cmp = pick(rand, positive ? EN_BEAT : EN_MISS);
    const forms = [
      `${s} ${q} ${v}, ${cmp}`,
      `${possessive(s)} ${q} ${v} and ${cmp.replace(/^above|^below|^ahead/, (m) => `comes in ${m}`)}`,
      `${q.charAt(0).toUpperCase()}${q.slice(1)} at ${s} ${v}`,
    ];
    push(pick(rand, forms), positive ? 'positive' : 'negative');
  }
  // Events with a clear direction.
  const posEvents = [
    'wins regulatory approval for new drug',
    'wins $ {n} billion contract',
    'raises full-year outlook',
    'lifts dividend and expands buyback',
    'upgraded to outperform',
    'returns to profit',
    'swings to a profit from a loss',
    'wins court ruling in patent case',
    'secures long-term supply deal',
    'rating raised by Moody\u2019s'.replace('\u2019', "'"),
    'credit rating upgraded by S&P',
    'outlook revised to positive by Fitch',
    'beats on profit and revenue',
    'sees demand recovering faster than expected',
    'reinstates dividend',
    'clears final regulatory hurdle for merger',
    'settles probe for less than feared',
    'hits all-time high after strong results',
    'wins record order',
    'restores full-year guidance',
  ];
  const negEvents = [
    'cuts full-year outlook',
    'suspends dividend',
    'files for bankruptcy',
    'recalls products over safety risk',
    'fined $ {n} million by regulator',
    'downgraded to junk',
    'faces criminal probe',
    'issues profit warning',
    'to cut {n},000 jobs',
    'misses on profit and revenue',
    'defaults on bond coupon',
    'delays annual report',
    'hit by short-seller report',
    'discloses data breach',
    'loses key patent case',
    'warns on going concern',
    'takes $ {n} billion writedown',
    'loses major customer',
    'halts production after accident',
    'placed on review for downgrade',
  ];
  for (let i = 0; i < 400; i++) {
    const positive = rand() < 0.5;
    const s = enSubject(rand);
    const e = fillEn(rand, pick(rand, positive ? posEvents : negEvents));
    const tail =
      rand() < 0.3 ? `, ${fillEn(rand, pick(rand, positive ? EN_SHARES_UP : EN_SHARES_DOWN))}` : '';
    push(`${s} ${e}${tail}`, positive ? 'positive' : 'negative');
  }
  for (const label of ['positive', 'negative', 'neutral'] as const) {
    for (let i = 0; i < 600; i++) {
      const phrase = pick(rand, EN_GENERAL[label]).replace('{m}', pick(rand, EN_MONTHS));
      push(`${enSubject(rand)} ${fillEn(rand, phrase)}`, label);
    }
    for (let i = 0; i < 120; i++) {
      const t = pick(rand, EN_MARKET[label])
        .replace('{i}', pick(rand, EN_INDEXES))
        .replace('{m}', pick(rand, EN_MONTHS))
        .replace('{p}', `${int(rand, 1, 3)}.${int(rand, 1, 9)}`);
      push(t, label);
    }
  }
  // A company acting on a quantity: cutting debt is good, cutting the dividend is bad.
  const actDown = ['cuts', 'reduces', 'slashes', 'trims', 'halves', 'lowers'];
  const actUp = ['raises', 'lifts', 'boosts', 'increases', 'doubles', 'ramps up'];
  const actBad = [
    'net debt',
    'debt',
    'costs',
    'operating costs',
    'borrowings',
    'leverage',
    'its cash burn',
    'provisions for bad loans',
    'loan-loss reserves',
    'overheads',
  ];
  const actGood = [
    'its dividend',
    'its forecast',
    'its outlook',
    'guidance',
    'its payout',
    'its buyback',
    'its sales target',
    'its profit goal',
    'production targets',
  ];
  for (let i = 0; i < 500; i++) {
    const good = rand() < 0.5;
    const up = rand() < 0.5;
    const obj = pick(rand, good ? actGood : actBad);
    const verb = pick(rand, up ? actUp : actDown);
    const tail =
      rand() < 0.4 ? ` by $ ${int(rand, 1, 9)} billion` : rand() < 0.5 ? ` by ${int(rand, 5, 50)}%` : '';
    push(`${enSubject(rand)} ${verb} ${obj}${tail}`, good === up ? 'positive' : 'negative');
  }
  enProcedural(rand, push);
  enAudit(rand, push);
}

// General corporate and market news with a clear direction, or none: vocabulary breadth.
const EN_GENERAL: Record<Label, string[]> = {
  positive: [
    'raises its annual forecast',
    'lifts revenue target for next year',
    'boosts payout to shareholders',
    'expands share repurchase program',
    'posts record quarterly sales',
    'reports stronger-than-expected demand',
    'returns to growth',
    'sees demand rebound in key markets',
    'beats Wall Street estimates',
    'tops profit forecasts',
    'upgraded by analysts on improving outlook',
    'margins improve as volumes recover',
    'gains market share from rivals',
    'guides above consensus',
    'hikes dividend by {n}%',
    'approves special dividend',
    'drug trial meets main goal',
    'cost cuts pay off as profit climbs',
    'exceeds its own targets',
    'customer numbers grow strongly',
    'profit recovers faster than expected',
    'wins contract worth $ {n} billion',
    'receives takeover offer at a premium',
    'shares rally after upbeat guidance',
    'reports robust growth in all regions',
    'strikes lucrative licensing deal',
    'turns cash-flow positive',
    'wins approval for new plant',
  ],
  negative: [
    'cuts annual forecast',
    'lowers revenue target',
    'scraps dividend to preserve cash',
    'misses Wall Street estimates',
    'profit falls short of forecasts',
    'warns of weaker sales',
    'sales stall in key markets',
    'growth slows sharply',
    'downgraded by analysts on weak outlook',
    'margins shrink as volumes slump',
    'sued by regulators over misleading claims',
    'accused of fraud by short seller',
    'probe into accounts widens',
    'drug rejected by regulators',
    'shuts factories as orders dry up',
    'strike halts production',
    'cyberattack disrupts operations',
    'to lay off {n}% of staff',
    'loses biggest contract',
    'posts surprise loss',
    'books $ {n} billion writedown',
    'CEO ousted amid accounting scandal',
    'hit with $ {n} million penalty',
    'shares hit lowest in a decade',
    'flags weaker margins for the year',
    'faces class action over data leak',
    'creditors reject restructuring plan',
    'warns of cash shortfall',
  ],
  neutral: [
    'names new head of strategy',
    'appoints chief operating officer',
    'nominates two directors to its board',
    'to host investor day in {m}',
    'releases annual report',
    'publishes sustainability data',
    'completes move to new headquarters',
    'renames consumer division',
    'to redeem preferred shares as planned',
    'launches consultation on pension scheme',
    'files proxy statement ahead of annual meeting',
    'says chairman to retire as planned, successor named',
    'confirms date of annual general meeting',
    'updates segment reporting structure',
    'to list shares in London as part of planned dual listing',
    'announces changes to its executive committee',
    'details timetable for interim dividend',
    'sets terms of planned bond buyback',
    'holds routine capital markets briefing',
    'publishes notice of extraordinary meeting',
    'files annual accounts on schedule',
    'to webcast presentation at industry event',
    'declares regular dividend',
    'keeps guidance as analysts expected',
    'reports monthly traffic figures',
    'registers new subsidiary in Ireland',
    'updates investors on integration timetable',
    'to discuss results on a call with analysts',
  ],
};
const EN_MONTHS = ['January', 'March', 'May', 'September', 'November'];
const EN_MARKET: Record<Label, string[]> = {
  positive: [
    '{i} climbs {p}% as tech stocks rally',
    '{i} hits record high on upbeat earnings',
    '{i} posts best week since {m}',
    '{i} rebounds as bond yields retreat',
    'Bank stocks lead {i} higher',
  ],
  negative: [
    '{i} falls {p}% as rate fears return',
    '{i} suffers worst day since {m}',
    '{i} slides as growth worries mount',
    'Selloff drags {i} to three-month low',
    'Tech rout pushes {i} lower',
  ],
  neutral: [
    '{i} little changed in thin holiday trade',
    '{i} ends mixed as investors weigh data',
    '{i} flat ahead of central bank decision',
    '{i} steady; traders await jobs report',
    '{i} closes near unchanged',
  ],
};

const EN_PERIODS = [
  'first-quarter',
  'second-quarter',
  'third-quarter',
  'fourth-quarter',
  'half-year',
  'full-year',
  'annual',
  'Q1',
  'Q2',
  'Q3',
  'Q4',
];
const EN_DATES = [
  'Jan. 28',
  'Feb. 6',
  'March 3',
  'April 24',
  'May 9',
  'June 18',
  'July 31',
  'Aug. 5',
  'Sept. 26',
  'Oct. 21',
  'Nov. 13',
  'Dec. 2',
  'Tuesday',
  'Thursday',
  'next week',
];
const EN_INDEXES = [
  'FTSE 100',
  'DAX',
  'CAC 40',
  'Nikkei 225',
  'Hang Seng',
  'S&P/ASX 200',
  'MSCI World',
  'Russell 2000',
  'TOPIX',
  'Euro Stoxx 600',
];
const EN_PROVIDERS = [
  'FTSE Russell',
  'MSCI',
  'S&P Dow Jones Indices',
  'Stoxx',
  'Nikkei Inc',
  'the index provider',
  'Deutsche Boerse',
];
const EN_MACRO = [
  'inflation',
  'core inflation',
  'the jobless rate',
  'industrial output',
  'consumer prices',
  'retail sales',
  'the policy rate',
  'the benchmark rate',
  'the deposit rate',
  'house prices',
];
const EN_BANKS = [
  'The central bank',
  'The Fed',
  'The ECB',
  'The Bank of England',
  'The RBA',
  'The Bank of Canada',
  "Norway's central bank",
  'The SNB',
];

function enProcedural(rand: Rand, push: (t: string, l: Label) => void): void {
  const forms: (() => string)[] = [
    () => `${enSubject(rand)} to report ${pick(rand, EN_PERIODS)} results on ${pick(rand, EN_DATES)}`,
    () => `${enSubject(rand)} will publish ${pick(rand, EN_PERIODS)} earnings on ${pick(rand, EN_DATES)}`,
    () => `${enSubject(rand)} sets ${pick(rand, EN_DATES)} as date for ${pick(rand, EN_PERIODS)} results`,
    () => `${enSubject(rand)} schedules ${pick(rand, EN_PERIODS)} earnings release and conference call`,
    () => `${enSubject(rand)} confirms ${pick(rand, EN_PERIODS)} reporting date`,
    () => `${pick(rand, EN_PROVIDERS)} announces ${pick(rand, EN_INDEXES)} constituent changes`,
    () => `${pick(rand, EN_PROVIDERS)} releases list of ${pick(rand, EN_INDEXES)} additions and deletions`,
    () => `${pick(rand, EN_INDEXES)} index review: changes take effect on ${pick(rand, EN_DATES)}`,
    () => `${pick(rand, EN_PROVIDERS)} publishes results of ${pick(rand, EN_INDEXES)} quarterly review`,
    () => `${pick(rand, EN_INDEXES)} rebalancing to be effective after the close on ${pick(rand, EN_DATES)}`,
    () => `${enSubject(rand)} shares resume trading after scheduled halt`,
    () => `Trading in ${enSubject(rand)} resumes following planned suspension`,
    () => `${enSubject(rand)} requests trading halt pending scheduled announcement`,
    () => `${enSubject(rand)} shares back on the board after routine trading pause`,
    () => `${enSubject(rand)} stock halted for scheduled results release, to resume ${pick(rand, EN_DATES)}`,
    () => {
      const m = pick(rand, EN_MACRO);
      return `${m.charAt(0).toUpperCase()}${m.slice(1)} unchanged at ${int(rand, 1, 9)}.${int(rand, 0, 9)}%, as expected`;
    },
    () => `${pick(rand, EN_BANKS)} keeps ${pick(rand, EN_MACRO)} unchanged, in line with expectations`,
    () => `${pick(rand, EN_BANKS)} holds rates, as economists had forecast`,
    () => `${pick(rand, EN_BANKS)} leaves policy on hold as expected`,
    () => `${enSubject(rand)} keeps quarterly dividend unchanged`,
    () => `${enSubject(rand)} guidance unchanged, as analysts expected`,
    () =>
      `${pick(rand, EN_MACRO).replace(/^the /, '')} flat in ${pick(rand, ['May', 'June', 'July', 'August'])}, matching forecasts`,
    () => `${enSubject(rand)} annual general meeting set for ${pick(rand, EN_DATES)}`,
    () => `${enSubject(rand)} appoints new company secretary`,
    () => `${enSubject(rand)} files annual report on Form 10-K`,
    () => `${enSubject(rand)} prices ${int(rand, 1, 9)} billion euro bond offering`,
    () => `${enSubject(rand)} announces record date for interim dividend`,
    () => `${enSubject(rand)} shares go ex-dividend on ${pick(rand, EN_DATES)}`,
    () => `${enSubject(rand)} to host capital markets day on ${pick(rand, EN_DATES)}`,
    () => `${enSubject(rand)} executives to speak at industry conference`,
    () => `${enSubject(rand)} updates articles of association`,
    () => `${enSubject(rand)} completes planned change of registered office`,
    () => `${pick(rand, EN_INDEXES)} ends little changed in quiet trading`,
    () => `${pick(rand, EN_INDEXES)} futures steady before the open`,
    () => `${enSubject(rand)} discloses holdings in quarterly filing`,
  ];
  for (let i = 0; i < 700; i++) push(pick(rand, forms)(), 'neutral');
}

function enAudit(rand: Rand, push: (t: string, l: Label) => void): void {
  const auditor = () =>
    pick(rand, ['Auditor', 'The auditor', 'External auditor', 'Its auditor', 'KPMG', 'Deloitte', 'PwC']);
  const neg = [
    () => `${auditor()} issues disclaimer of opinion on ${enSubject(rand)} accounts`,
    () => `${enSubject(rand)} gets disclaimer of opinion from ${auditor().toLowerCase()}`,
    () =>
      `${auditor()} declines to express an opinion on ${possessive(enSubject(rand))} financial statements`,
    () => `${auditor()} gives qualified opinion on ${possessive(enSubject(rand))} results`,
    () => `${enSubject(rand)} receives qualified audit opinion`,
    () => `${auditor()} issues adverse opinion on ${possessive(enSubject(rand))} internal controls`,
    () => `${auditor()} raises going-concern doubt at ${enSubject(rand)}`,
    () => `${auditor()} quits ${enSubject(rand)}, citing concerns over accounts`,
    () => `${auditor()} refuses to sign off ${possessive(enSubject(rand))} annual accounts`,
  ];
  const neu = [
    () => `${auditor()} issues unqualified opinion on ${possessive(enSubject(rand))} accounts`,
    () => `${enSubject(rand)} receives unqualified audit opinion for the year`,
    () => `${auditor()} signs off ${possessive(enSubject(rand))} annual accounts without qualification`,
    () => `${enSubject(rand)} annual report carries a standard unqualified audit opinion`,
    () => `${enSubject(rand)} reappoints ${auditor().replace(/^(The|Its) a/, 'a')} for another year`,
  ];
  for (let i = 0; i < 150; i++) push(pick(rand, neg)(), 'negative');
  for (let i = 0; i < 90; i++) push(pick(rand, neu)(), 'neutral');
}

// --- Chinese -------------------------------------------------------------------------------------------

const ZH_NAMES = [
  '中国建筑',
  '海尔智家',
  '伊利股份',
  '洋河股份',
  '中国中免',
  '长城汽车',
  '上汽集团',
  '中国联通',
  '中国移动',
  '交通银行',
  '中信银行',
  '民生银行',
  '浦发银行',
  '华夏银行',
  '北京银行',
  '江苏银行',
  '中国太保',
  '新华保险',
  '华泰证券',
  '国泰君安',
  '海螺水泥',
  '宝钢股份',
  '中国铝业',
  '洛阳钼业',
  '牧原股份',
  '温氏股份',
  '顺丰控股',
  '用友网络',
  '三六零',
  '长安汽车',
  '通威股份',
  '天齐锂业',
  '赣锋锂业',
  '保利发展',
  '金地集团',
  '中国交建',
  '中国电建',
  '复星医药',
  '爱尔眼科',
  '泸州老窖',
];
const ZH_CODES = [
  '600000',
  '601166',
  '000002',
  '600104',
  '601318',
  '000333',
  '002594',
  '601899',
  '600900',
  '300015',
];

function zhSubject(rand: Rand): string {
  const r = rand();
  if (r < 0.6) return pick(rand, ZH_NAMES);
  if (r < 0.72) return `${pick(rand, ZH_NAMES)}(${pick(rand, ZH_CODES)})`;
  if (r < 0.8) return `${pick(rand, ZH_NAMES)}(${pick(rand, ZH_CODES)}.${pick(rand, ['SH', 'SZ'])})`;
  return pick(rand, ['该行', '该公司', '这家银行', '上市公司', '这家车企', '该集团', '某券商', '该险企']);
}

const ZH_BAD_QTY = [
  '不良贷款率',
  '不良贷款余额',
  '不良率',
  '逾期贷款',
  '关注类贷款',
  '信用减值损失',
  '资产减值损失',
  '坏账损失',
  '坏账',
  '资产负债率',
  '有息负债',
  '净负债率',
  '负债总额',
  '债务规模',
  '亏损',
  '净亏损',
  '经营亏损',
  '融资成本',
  '销售费用',
  '存货',
  '应收账款',
  '赔付率',
  '综合成本率',
  '信贷成本',
  '违约率',
  '逾期率',
  '拨备计提',
  '不良资产',
  '偿债压力',
  '债务压力',
  '库存',
  '经营压力',
];
const ZH_GOOD_QTY = [
  '净利润',
  '营业收入',
  '营收',
  '归母净利润',
  '扣非净利润',
  '毛利率',
  '新签订单',
  '销量',
  '出货量',
  '交付量',
  '经营现金流',
  '市场份额',
  '保费收入',
  '签约金额',
  '每股收益',
  '净息差',
  '手续费收入',
  '在手订单',
  '销售额',
  '利润',
  '利润率',
  '订单储备',
];
const ZH_DOWN = [
  '下降',
  '下降{n}%',
  '同比下降{n}%',
  '降至{k}年来最低',
  '降至历史低位',
  '降至多年低点',
  '减少',
  '大幅减少',
  '明显减少',
  '收窄',
  '回落',
  '持续下降',
  '连续{k}个季度下降',
  '同比减少{n}亿元',
  '较年初下降{n}个百分点',
  '下滑',
  '减半',
  '显著回落',
  '缓解',
  '明显缓解',
];
const ZH_UP = [
  '上升',
  '上升{n}%',
  '同比增长{n}%',
  '攀升',
  '大增',
  '激增',
  '飙升',
  '扩大',
  '升至历史高位',
  '创历史新高',
  '增加{n}亿元',
  '翻倍',
  '翻番',
  '连续{k}个季度上升',
  '较年初上升{n}个百分点',
  '明显增加',
  '增长超过两倍',
  '加大',
  '加剧',
];
const ZH_SHARES_UP = [
  '股价大涨',
  '股价涨停',
  '股价创新高',
  '股价走高',
  '涨逾{n}%',
  '股价拉升',
  '股价应声上涨',
];
const ZH_SHARES_DOWN = [
  '股价重挫',
  '股价跌停',
  '股价大跌',
  '股价跳水',
  '跌超{n}%',
  '股价下挫',
  '股价应声下跌',
];
const ZH_PERIODS = ['一季度', '上半年', '前三季度', '第三季度', '全年', '2025年', '报告期内', '去年'];

function fillZh(rand: Rand, t: string): string {
  return t
    .replace('{n}', String(int(rand, 2, 60)))
    .replace(
      '{k}',
      rand() < 0.5 ? String(int(rand, 2, 10)) : pick(rand, ['两', '三', '四', '五', '六', '八', '十']),
    )
    .replace('{d}', pick(rand, ['3月28日', '4月25日', '8月22日', '10月30日', '下周一', '本月底', '1月20日']));
}

function zhQuantity(rand: Rand, good: boolean, up: boolean): string {
  const q = pick(rand, good ? ZH_GOOD_QTY : ZH_BAD_QTY);
  return `${q}${fillZh(rand, pick(rand, up ? ZH_UP : ZH_DOWN))}`;
}

function zhCompositional(rand: Rand, out: Example[]): void {
  const push = (text: string, label: Label) => out.push({ text, label, lang: 'zh' });
  for (let i = 0; i < 1600; i++) {
    const good = rand() < 0.5;
    const up = rand() < 0.5;
    const s = zhSubject(rand);
    const qv = zhQuantity(rand, good, up);
    const forms = [
      `${s}${qv}`,
      `${s}：${qv}`,
      `${s}${pick(rand, ZH_PERIODS)}${qv}`,
      `${pick(rand, ZH_PERIODS)}${s}${qv}`,
    ];
    push(pick(rand, forms), good === up ? 'positive' : 'negative');
  }
  for (let i = 0; i < 400; i++) {
    const positive = rand() < 0.5;
    const good = rand() < 0.5;
    const up = good === positive;
    const s = zhSubject(rand);
    const move = fillZh(rand, pick(rand, positive ? ZH_SHARES_UP : ZH_SHARES_DOWN));
    const qv = zhQuantity(rand, good, up);
    const good2 = rand() < 0.5;
    const qv2 = zhQuantity(rand, good2, good2 === positive);
    const forms = [`${s}${qv}，${move}`, `${qv}，${s}${move}`, `${s}${qv}，${qv2}`, `${qv}拖累${s}${move}`];
    const f = positive ? forms.filter((x) => !x.includes('拖累')) : forms;
    push(pick(rand, f), positive ? 'positive' : 'negative');
  }
  const zhStrongUp = [
    '净利润同比翻倍',
    '净利润翻两番',
    '业绩大幅超预期',
    '营收暴增',
    '净利润增长超过两倍',
    '业绩爆发式增长',
    '盈利创历史新高',
    '订单创纪录',
  ];
  const zhStrongDown = [
    '净利润腰斩',
    '业绩大幅不及预期',
    '营收骤降',
    '由盈转亏',
    '巨额亏损',
    '业绩断崖式下滑',
    '亏损创上市以来最大',
    '订单锐减',
  ];
  for (let i = 0; i < 300; i++) {
    const positive = rand() < 0.5;
    const s = zhSubject(rand);
    const a = pick(rand, positive ? zhStrongUp : zhStrongDown);
    const b = fillZh(rand, pick(rand, positive ? ZH_SHARES_UP : ZH_SHARES_DOWN));
    const forms = [
      `${s}${a}`,
      `${s}${pick(rand, ZH_PERIODS)}${a}，${b}`,
      `${a}，${s}${b}`,
      `${s}${a}${positive ? '超出市场预期' : '低于市场预期'}`,
    ];
    push(pick(rand, forms), positive ? 'positive' : 'negative');
  }
  const zhPosEvents = [
    '拟回购{n}亿元股份',
    '控股股东增持股份',
    '中标{n}亿元重大项目',
    '新药获批上市',
    '扭亏为盈',
    '撤销退市风险警示',
    '撤销其他风险警示，股票简称摘帽',
    '信用评级获上调',
    '获机构上调目标价',
    '诉讼胜诉',
    '签订重大销售合同',
    '业绩预增{n}%',
    '拟大比例分红',
    '获得政府补助',
    '重组获证监会批准',
    '产品提价，盈利能力增强',
    '获准开展新业务',
    '债务重组完成，偿债压力缓解',
  ];
  const zhNegEvents = [
    '遭证监会立案调查',
    '被实施退市风险警示',
    '收到行政处罚决定书',
    '实控人被留置',
    '债券未能按期兑付',
    '银行账户被冻结',
    '股份被司法冻结',
    '大股东拟减持',
    '收到交易所问询函',
    '被责令停产整顿',
    '财务造假被罚',
    '年报延期披露',
    '核心产品集采大幅降价',
    '被申请破产重整',
    '评级遭下调',
    '业绩预亏',
    '商誉大幅减值',
    '产品召回',
    '高管涉嫌违法被调查',
    '被曝数据造假',
  ];
  for (let i = 0; i < 500; i++) {
    const positive = rand() < 0.5;
    const s = zhSubject(rand);
    const e = fillZh(rand, pick(rand, positive ? zhPosEvents : zhNegEvents));
    const tail =
      rand() < 0.3 ? `，${fillZh(rand, pick(rand, positive ? ZH_SHARES_UP : ZH_SHARES_DOWN))}` : '';
    push(`${s}${e}${tail}`, positive ? 'positive' : 'negative');
  }
  zhProcedural(rand, push);
  zhAudit(rand, push);
}

const ZH_INDEXES = [
  '沪深300',
  '中证1000',
  '上证180',
  '深证100',
  '创业板指',
  '中证800',
  '恒生中国企业',
  '上证380',
  '科创100',
  '国证2000',
];
const ZH_PROVIDERS = [
  '中证指数有限公司',
  '深圳证券信息有限公司',
  '恒生指数公司',
  '指数编制机构',
  '富时罗素',
  '上海证券交易所',
];
const ZH_REPORTS = ['年度报告', '半年度报告', '第一季度报告', '第三季度报告', '年报', '三季报', '中报'];
const ZH_MACRO = [
  '一年期LPR',
  '五年期LPR',
  '政策利率',
  'MLF利率',
  '存款准备金率',
  '再贷款利率',
  'CPI同比涨幅',
  'PPI',
  '制造业PMI',
];
const ZH_CBANKS = ['央行', '美联储', '欧洲央行', '日本央行', '香港金管局', '中国人民银行'];

function zhProcedural(rand: Rand, push: (t: string, l: Label) => void): void {
  const forms: (() => string)[] = [
    () => `${zhSubject(rand)}预计在${fillZh(rand, '{d}')}对外公布${pick(rand, ZH_REPORTS)}`,
    () => `${zhSubject(rand)}${pick(rand, ZH_REPORTS)}预约披露时间为${fillZh(rand, '{d}')}`,
    () => `${zhSubject(rand)}关于变更${pick(rand, ZH_REPORTS)}披露日期的公告`,
    () => `${zhSubject(rand)}：定于${fillZh(rand, '{d}')}召开业绩说明会`,
    () => `${pick(rand, ZH_PROVIDERS)}发布${pick(rand, ZH_INDEXES)}指数样本调整结果`,
    () => `${pick(rand, ZH_INDEXES)}指数成份股定期调整，${fillZh(rand, '{d}')}起实施`,
    () => `${pick(rand, ZH_PROVIDERS)}公告${pick(rand, ZH_INDEXES)}等指数样本股变动名单`,
    () => `${pick(rand, ZH_INDEXES)}样本股例行调整名单出炉`,
    () => `${zhSubject(rand)}股票因召开年度股东大会停牌一天`,
    () => `${zhSubject(rand)}股票于${fillZh(rand, '{d}')}开市起复牌`,
    () => `${zhSubject(rand)}按计划停牌结束，股票恢复交易`,
    () => `${zhSubject(rand)}因披露定期报告按规定停牌后复牌`,
    () => `${zhSubject(rand)}股票临时停牌一小时后恢复交易`,
    () => `${pick(rand, ZH_CBANKS)}宣布${pick(rand, ZH_MACRO)}维持不变，符合预期`,
    () => `${pick(rand, ZH_MACRO)}与上月持平，符合市场预期`,
    () => `${pick(rand, ZH_CBANKS)}按兵不动，利率保持不变，与市场预期一致`,
    () => `${pick(rand, ZH_MACRO)}保持不变，市场早有预期`,
    () => `${zhSubject(rand)}维持全年经营目标不变`,
    () => `${zhSubject(rand)}关于召开${pick(rand, ['第一次', '第二次', '第三次'])}临时股东大会的通知`,
    () => `${zhSubject(rand)}第${int(rand, 5, 10)}届董事会第${int(rand, 2, 30)}次会议决议公告`,
    () => `${zhSubject(rand)}关于聘任证券事务代表的公告`,
    () => `${zhSubject(rand)}关于公司章程修订的公告`,
    () => `${zhSubject(rand)}关于发行${int(rand, 10, 80)}亿元公司债券的公告`,
    () => `${zhSubject(rand)}年度权益分派实施公告`,
    () => `${zhSubject(rand)}关于股票期权行权结果的公告`,
    () => `${zhSubject(rand)}关于监事会换届的公告`,
    () => `${zhSubject(rand)}投资者关系活动记录表（${fillZh(rand, '{d}')}）`,
    () => `${zhSubject(rand)}关于完成法定代表人变更的公告`,
    () => `${pick(rand, ZH_INDEXES)}指数收盘基本持平`,
    () => `两市成交额${int(rand, 6, 12)}千亿元，与前一日相当`,
    () => `${zhSubject(rand)}关于参加投资者交流活动的公告`,
    () =>
      `${pick(rand, ['上交所', '深交所', '北交所', '港交所'])}发布${pick(rand, ['春节', '国庆节', '清明节', '端午节'])}休市安排`,
  ];
  for (let i = 0; i < 800; i++) push(pick(rand, forms)(), 'neutral');
}

function zhAudit(rand: Rand, push: (t: string, l: Label) => void): void {
  const firm = () =>
    pick(rand, [
      '会计师事务所',
      '年审会计师',
      '审计机构',
      '注册会计师',
      '天健会计师事务所',
      '大华会计师事务所',
      '中审众环',
    ]);
  const s = () => pick(rand, ZH_NAMES);
  const year = () => `${int(rand, 2019, 2025)}年度`;
  const neg = [
    () => `${firm()}对${s()}${year()}财务报表出具无法表示意见`,
    () => `${s()}${year()}审计报告为无法表示意见`,
    () => `${s()}年报被${firm()}出具无法表示意见，股票或被实施退市风险警示`,
    () => `${firm()}对${s()}财务报告无法表示意见`,
    () => `${s()}：${firm()}出具了无法表示意见的审计报告`,
    () => `${s()}${year()}财务报告被出具保留意见`,
    () => `${firm()}对${s()}年报出具保留意见审计报告`,
    () => `${s()}审计意见为保留意见，涉及大额资金占用`,
    () => `${firm()}对${s()}内部控制出具否定意见`,
    () => `${s()}内控审计报告被出具否定意见`,
    () => `${s()}年报被出具带持续经营重大不确定性段落的审计意见`,
    () => `${firm()}对${s()}出具非标准审计意见`,
  ];
  const neu = [
    () => `${firm()}对${s()}${year()}财务报表出具标准无保留意见`,
    () => `${s()}${year()}审计意见类型为标准无保留意见`,
    () => `${s()}获${firm()}标准无保留审计意见`,
    () => `${s()}内部控制审计报告为标准无保留意见`,
    () => `${s()}续聘${firm()}为${year()}审计机构`,
    () => `${firm()}对${s()}出具标准审计意见`,
  ];
  for (let i = 0; i < 220; i++) push(pick(rand, neg)(), 'negative');
  for (let i = 0; i < 120; i++) push(pick(rand, neu)(), 'neutral');
}

/** Appends the compositional families, drawing from the caller's seeded PRNG. */
export function compositionalExamples(rand: Rand): Example[] {
  const out: Example[] = [];
  enCompositional(rand, out);
  zhCompositional(rand, out);
  return out;
}
