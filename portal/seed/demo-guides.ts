import type { z } from 'zod';
import type { ServiceGuide } from '../../common/contract/guide.js';
import { MaterialForm, ServiceChannel } from '../../common/contract/guide.js';
import { CalendarDayKind, type CalendarDay, type WeeklyHours } from '../../common/domain/hall-calendar.js';
import type { BookingRules } from '../../common/domain/slots.js';

/**
 * What the demo hall publishes for its services (issue 9): opening hours, the service guide
 * (办事指南) in Chinese and English, online booking rules for some, and the hall calendar. Written
 * to look like a real municipal service centre's; the seed (demo-hall.ts) writes it through
 * portal/queue/service-config.ts, which checks every value with the common schemas.
 */

type GuideInput = z.input<typeof ServiceGuide>;
type Material = GuideInput['materials'][number];

const WEEKDAY_RANGES = [
  { opens: '09:00', closes: '12:00' },
  { opens: '13:30', closes: '17:00' },
];
const SATURDAY_MORNING = [{ opens: '09:00', closes: '12:00' }];

/** Mon–Fri 09:00–12:00 and 13:30–17:00. */
export const WEEKDAY_HOURS: WeeklyHours = { '1': WEEKDAY_RANGES, '2': WEEKDAY_RANGES, '3': WEEKDAY_RANGES, '4': WEEKDAY_RANGES, '5': WEEKDAY_RANGES };
/** The same, and Saturday morning (周六上午延时服务). */
export const WEEKDAY_AND_SATURDAY_HOURS: WeeklyHours = { ...WEEKDAY_HOURS, '6': SATURDAY_MORNING };

const idCard: Material = {
  name: { zh: '居民身份证', en: 'Resident ID card' },
  form: MaterialForm.Original,
  count: 1,
  note: { zh: '委托办理的，另带受托人身份证及授权委托书', en: "If someone applies for you: their ID card and your signed power of attorney" },
};
const hukouBook: Material = { name: { zh: '居民户口簿', en: 'Household register (hukou booklet)' }, form: MaterialForm.OriginalAndCopy, count: 1, note: null };
const photo: Material = {
  name: { zh: '近期免冠证件照', en: 'Recent passport-style photo' },
  form: MaterialForm.Original,
  count: 2,
  note: { zh: '白底，两寸', en: 'White background, 2-inch' },
};
const applicationForm = (zh: string, en: string): Material => ({
  name: { zh, en },
  form: MaterialForm.Original,
  count: 1,
  note: { zh: '可在窗口领取或在网上下载填写', en: 'Available at the counter or to download and fill in online' },
});

export interface DemoServiceConfig {
  hours: WeeklyHours;
  guide: GuideInput;
  booking: z.input<typeof BookingRules> | null;
}

/** By service id (DEMO_SERVICES of demo-hall.ts). */
export const DEMO_SERVICE_CONFIG: Readonly<Record<string, DemoServiceConfig>> = {
  'social-insurance': {
    hours: WEEKDAY_HOURS,
    booking: { slotMinutes: 30, capacity: 4, minDaysAhead: 1, maxDaysAhead: 14 },
    guide: {
      conditions: [
        { zh: '在本市就业或灵活就业、依法应当参加社会保险的人员', en: 'People employed or self-employed in the city who must be insured by law' },
        { zh: '办理转移接续的，须已在原参保地停止缴费', en: 'For a transfer: contributions at the previous place have stopped' },
      ],
      materials: [
        idCard,
        applicationForm('社会保险登记表', 'Social insurance registration form'),
        {
          name: { zh: '劳动合同或灵活就业登记证明', en: 'Employment contract or self-employment registration' },
          form: MaterialForm.Copy,
          count: 1,
          note: { zh: '复印件加盖单位公章', en: 'Copy stamped by the employer' },
        },
        {
          name: { zh: '参保缴费凭证（转移接续时）', en: 'Contribution record from the previous place (transfers)' },
          form: MaterialForm.Original,
          count: 1,
          note: null,
        },
      ],
      fees: { zh: '不收费', en: 'Free of charge' },
      legalTimeLimitDays: 15,
      promisedTimeLimitDays: 5,
      location: { zh: '市民中心二楼 A 区 1–2 号窗口', en: 'Citizen Service Centre, 2nd floor, zone A, counters 1–2' },
      channel: ServiceChannel.Both,
    },
  },
  'medical-insurance': {
    hours: WEEKDAY_HOURS,
    booking: null,
    guide: {
      conditions: [
        { zh: '本市基本医疗保险参保人员', en: 'Members of the city basic medical insurance' },
        { zh: '异地就医备案：长期异地居住、工作或转诊就医人员', en: 'Out-of-town treatment filing: long-term residents or workers elsewhere, or referred patients' },
      ],
      materials: [
        idCard,
        { name: { zh: '医保电子凭证或社会保障卡', en: 'Medical insurance e-voucher or social security card' }, form: MaterialForm.Electronic, count: 1, note: null },
        {
          name: { zh: '医疗费用发票及费用明细清单', en: 'Medical invoices with the itemised bill' },
          form: MaterialForm.Original,
          count: 1,
          note: { zh: '手工报销时提供', en: 'For a reimbursement claim' },
        },
        { name: { zh: '出院小结或诊断证明', en: 'Discharge summary or diagnosis certificate' }, form: MaterialForm.Copy, count: 1, note: null },
      ],
      fees: { zh: '不收费', en: 'Free of charge' },
      legalTimeLimitDays: 20,
      promisedTimeLimitDays: 10,
      location: { zh: '市民中心二楼 A 区 2 号窗口', en: 'Citizen Service Centre, 2nd floor, zone A, counter 2' },
      channel: ServiceChannel.Both,
    },
  },
  'housing-fund': {
    hours: WEEKDAY_HOURS,
    booking: { slotMinutes: 30, capacity: 3, minDaysAhead: 1, maxDaysAhead: 30 },
    guide: {
      conditions: [
        { zh: '正常缴存住房公积金满 6 个月的职工', en: 'Employees who have paid into the housing provident fund for at least 6 months' },
        { zh: '提取须符合购房、租房、还贷或离职等法定情形', en: 'Withdrawals only for buying or renting a home, repaying a loan, leaving the city, and other legal cases' },
      ],
      materials: [
        idCard,
        applicationForm('住房公积金提取申请表', 'Housing fund withdrawal application'),
        {
          name: { zh: '购房合同或租房合同', en: 'Purchase contract or tenancy agreement' },
          form: MaterialForm.OriginalAndCopy,
          count: 1,
          note: { zh: '原件核验后退回', en: 'The original is returned after checking' },
        },
        {
          name: { zh: '本人一类银行卡', en: 'Your own Class I bank card' },
          form: MaterialForm.Original,
          count: 1,
          note: { zh: '用于接收提取款', en: 'The withdrawal is paid into it' },
        },
      ],
      fees: { zh: '不收费', en: 'Free of charge' },
      legalTimeLimitDays: 3,
      promisedTimeLimitDays: 1,
      location: { zh: '市民中心二楼 B 区 3 号窗口', en: 'Citizen Service Centre, 2nd floor, zone B, counter 3' },
      channel: ServiceChannel.Both,
    },
  },
  'real-estate': {
    hours: WEEKDAY_HOURS,
    booking: { slotMinutes: 60, capacity: 2, minDaysAhead: 1, maxDaysAhead: 30 },
    guide: {
      conditions: [
        { zh: '不动产权利人或利害关系人', en: 'The holder of the property right, or a party with a legal interest' },
        { zh: '买卖双方须共同到场，或出具经公证的委托书', en: 'Buyer and seller come together, or bring a notarised power of attorney' },
      ],
      materials: [
        idCard,
        hukouBook,
        applicationForm('不动产登记申请书', 'Real estate registration application'),
        { name: { zh: '不动产权证书', en: 'Real estate title certificate' }, form: MaterialForm.Original, count: 1, note: null },
        { name: { zh: '网签买卖合同', en: 'Online-signed sale contract' }, form: MaterialForm.Original, count: 2, note: null },
        {
          name: { zh: '完税凭证', en: 'Tax payment receipt' },
          form: MaterialForm.Copy,
          count: 1,
          note: { zh: '契税缴纳后由税务窗口出具', en: 'Issued by the tax counter once the deed tax is paid' },
        },
      ],
      fees: { zh: '住宅登记费 80 元/件，证书工本费 10 元/本', en: 'Residential registration CNY 80 per case; certificate CNY 10 per copy' },
      legalTimeLimitDays: 30,
      promisedTimeLimitDays: 5,
      location: { zh: '市民中心三楼不动产登记专区', en: 'Citizen Service Centre, 3rd floor, real estate area' },
      channel: ServiceChannel.InHall,
    },
  },
  'business-registration': {
    hours: WEEKDAY_HOURS,
    booking: { slotMinutes: 30, capacity: 2, minDaysAhead: 1, maxDaysAhead: 30 },
    guide: {
      conditions: [
        { zh: '拟在本市设立企业的投资人或其委托代理人', en: 'Investors founding a company in the city, or their authorised agent' },
        { zh: '企业名称已自主申报通过', en: 'The company name has passed self-declaration' },
      ],
      materials: [
        idCard,
        applicationForm('公司登记（备案）申请书', 'Company registration (filing) application'),
        { name: { zh: '公司章程', en: 'Articles of association' }, form: MaterialForm.Original, count: 1, note: { zh: '全体股东签字', en: 'Signed by every shareholder' } },
        { name: { zh: '住所使用证明', en: 'Proof of the registered address' }, form: MaterialForm.Copy, count: 1, note: null },
        {
          name: { zh: '法定代表人、董事、监事任职文件', en: 'Appointment papers of the legal representative, directors and supervisors' },
          form: MaterialForm.Original,
          count: 1,
          note: null,
        },
      ],
      fees: { zh: '不收费（含首套印章免费刻制）', en: 'Free of charge, including the first set of company seals' },
      legalTimeLimitDays: 3,
      promisedTimeLimitDays: 1,
      location: { zh: '市民中心一楼企业开办专区 4 号窗口', en: 'Citizen Service Centre, 1st floor, business start-up area, counter 4' },
      channel: ServiceChannel.Both,
    },
  },
  'exit-entry': {
    hours: WEEKDAY_AND_SATURDAY_HOURS,
    booking: { slotMinutes: 20, capacity: 5, minDaysAhead: 1, maxDaysAhead: 14 },
    guide: {
      conditions: [
        { zh: '中国公民申请普通护照或往来港澳通行证及签注', en: 'Chinese citizens applying for an ordinary passport, or a Hong Kong and Macao permit and endorsement' },
        { zh: '16 周岁以下须由监护人陪同', en: 'Under 16: accompanied by a guardian' },
      ],
      materials: [
        idCard,
        { name: { zh: '出入境证件申请表', en: 'Exit-entry document application form' }, form: MaterialForm.Original, count: 1, note: { zh: '现场采集照片与指纹', en: 'Photo and fingerprints are taken on site' } },
        { name: { zh: '原护照或通行证（换发、补发时）', en: 'Your old passport or permit (renewal or replacement)' }, form: MaterialForm.Original, count: 1, note: null },
      ],
      fees: { zh: '护照 120 元/本；往来港澳通行证 60 元/本，签注 15 元/次', en: 'Passport CNY 120; Hong Kong and Macao permit CNY 60, endorsement CNY 15 each' },
      legalTimeLimitDays: 7,
      promisedTimeLimitDays: 7,
      location: { zh: '市民中心一楼出入境窗口 5 号', en: 'Citizen Service Centre, 1st floor, exit-entry counter 5' },
      channel: ServiceChannel.InHall,
    },
  },
  tax: {
    hours: WEEKDAY_HOURS,
    booking: null,
    guide: {
      conditions: [
        { zh: '已办理税务登记的纳税人或扣缴义务人', en: 'Registered taxpayers and withholding agents' },
        { zh: '多数业务可在电子税务局办理，无需到厅', en: 'Most of it can be done on the electronic tax bureau without coming in' },
      ],
      materials: [
        idCard,
        { name: { zh: '营业执照', en: 'Business licence' }, form: MaterialForm.Copy, count: 1, note: null },
        { name: { zh: '发票领用簿或税控设备', en: 'Invoice book or tax control device' }, form: MaterialForm.Original, count: 1, note: { zh: '领用发票时提供', en: 'When collecting invoices' } },
      ],
      fees: { zh: '不收费', en: 'Free of charge' },
      legalTimeLimitDays: null,
      promisedTimeLimitDays: 1,
      location: { zh: '市民中心一楼税务专区 4 号窗口', en: 'Citizen Service Centre, 1st floor, tax area, counter 4' },
      channel: ServiceChannel.Online,
    },
  },
  'household-registration': {
    hours: WEEKDAY_AND_SATURDAY_HOURS,
    booking: { slotMinutes: 30, capacity: 3, minDaysAhead: 1, maxDaysAhead: 60 },
    guide: {
      conditions: [
        { zh: '本市户籍居民申领、换领、补领居民身份证', en: 'Residents registered in the city applying for, renewing or replacing an ID card' },
        { zh: '户口迁入须符合本市落户政策', en: 'Moving a household registration in: the city residence policy applies' },
      ],
      materials: [
        hukouBook,
        photo,
        { name: { zh: '原居民身份证（换领时）', en: 'Your old ID card (renewal)' }, form: MaterialForm.Original, count: 1, note: null },
        {
          name: { zh: '准予迁入证明', en: 'Permit to move in' },
          form: MaterialForm.Original,
          count: 1,
          note: { zh: '办理户口迁入时提供', en: 'When moving the registration in' },
        },
      ],
      fees: { zh: '身份证申领、换领 20 元，补领 40 元；临时身份证 10 元', en: 'ID card CNY 20 (new or renewal), CNY 40 (replacement); temporary ID CNY 10' },
      legalTimeLimitDays: 60,
      promisedTimeLimitDays: 20,
      location: { zh: '市民中心一楼户政窗口 5 号', en: 'Citizen Service Centre, 1st floor, household registration counter 5' },
      channel: ServiceChannel.InHall,
    },
  },
  traffic: {
    hours: WEEKDAY_AND_SATURDAY_HOURS,
    booking: null,
    guide: {
      conditions: [
        { zh: '机动车驾驶人、机动车所有人', en: 'Drivers and vehicle owners' },
        { zh: '处理违法须先缴清罚款', en: 'Violations: pay the fine first' },
      ],
      materials: [
        idCard,
        { name: { zh: '机动车驾驶证', en: "Driving licence" }, form: MaterialForm.Original, count: 1, note: null },
        { name: { zh: '机动车行驶证', en: 'Vehicle registration certificate' }, form: MaterialForm.Original, count: 1, note: { zh: '机动车业务时提供', en: 'For vehicle services' } },
        { name: { zh: '身体条件证明', en: 'Medical certificate for drivers' }, form: MaterialForm.Original, count: 1, note: { zh: '换证时提供，医院体检', en: 'For a renewal; from a hospital check-up' } },
        photo,
      ],
      fees: { zh: '驾驶证工本费 10 元', en: 'Driving licence CNY 10' },
      legalTimeLimitDays: 1,
      promisedTimeLimitDays: 0,
      location: { zh: '市民中心一楼交管窗口 6 号', en: 'Citizen Service Centre, 1st floor, traffic counter 6' },
      channel: ServiceChannel.Both,
    },
  },
  general: {
    hours: WEEKDAY_AND_SATURDAY_HOURS,
    booking: null,
    guide: {
      conditions: [
        { zh: '不确定到哪个窗口办理的群众，均可到综合窗口咨询', en: 'Not sure which counter? Anyone may ask at the general counter' },
        { zh: '老年人、残疾人可申请帮办代办', en: 'Older and disabled visitors may ask for assisted or proxy applications' },
      ],
      materials: [idCard],
      fees: { zh: '不收费', en: 'Free of charge' },
      legalTimeLimitDays: null,
      promisedTimeLimitDays: null,
      location: { zh: '市民中心一楼大厅综合窗口 7 号', en: 'Citizen Service Centre, 1st floor, general counter 7' },
      channel: ServiceChannel.InHall,
    },
  },
};

const holidays = (note: string, days: readonly string[]): CalendarDay[] => days.map((day) => ({ day, kind: CalendarDayKind.Holiday, note }));
const workdays = (note: string, days: readonly string[]): CalendarDay[] => days.map((day) => ({ day, kind: CalendarDayKind.Workday, note }));
/** Every day from `first` to `last`, both included (same month and year). */
const range = (first: string, last: string): string[] => {
  const prefix = first.slice(0, 8);
  const days: string[] = [];
  for (let d = Number(first.slice(8)); d <= Number(last.slice(8)); d += 1) days.push(`${prefix}${String(d).padStart(2, '0')}`);
  return days;
};

/**
 * The public holidays and adjusted workdays (调休上班) of 2025 and 2026 as the State Council
 * published them, and the statutory days of 2027's New Year and Spring Festival (its 调休 is
 * announced late in the year before: the hall adds it then). Every day of a holiday period is
 * listed, weekends too: a service open on Saturday mornings is closed on a holiday Saturday.
 */
export const DEMO_CALENDAR: CalendarDay[] = [
  ...holidays('元旦', ['2025-01-01']),
  ...workdays('春节调休上班', ['2025-01-26']),
  ...holidays('春节', [...range('2025-01-28', '2025-01-31'), ...range('2025-02-01', '2025-02-04')]),
  ...workdays('春节调休上班', ['2025-02-08']),
  ...holidays('清明节', range('2025-04-04', '2025-04-06')),
  ...workdays('劳动节调休上班', ['2025-04-27']),
  ...holidays('劳动节', range('2025-05-01', '2025-05-05')),
  ...holidays('端午节', ['2025-05-31', '2025-06-01', '2025-06-02']),
  ...workdays('国庆节调休上班', ['2025-09-28']),
  ...holidays('国庆节、中秋节', range('2025-10-01', '2025-10-08')),
  ...workdays('国庆节调休上班', ['2025-10-11']),
  ...holidays('元旦', range('2026-01-01', '2026-01-03')),
  ...workdays('元旦调休上班', ['2026-01-04']),
  ...workdays('春节调休上班', ['2026-02-14']),
  ...holidays('春节', range('2026-02-15', '2026-02-23')),
  ...workdays('春节调休上班', ['2026-02-28']),
  ...holidays('清明节', range('2026-04-04', '2026-04-06')),
  ...holidays('劳动节', range('2026-05-01', '2026-05-05')),
  ...workdays('劳动节调休上班', ['2026-05-09']),
  ...holidays('端午节', range('2026-06-19', '2026-06-21')),
  ...workdays('国庆节调休上班', ['2026-09-20']),
  ...holidays('中秋节', range('2026-09-25', '2026-09-27')),
  ...holidays('国庆节', range('2026-10-01', '2026-10-07')),
  ...workdays('国庆节调休上班', ['2026-10-10']),
  ...holidays('元旦', ['2027-01-01']),
  ...holidays('春节（调休以国务院通知为准）', range('2027-02-05', '2027-02-08')),
];
