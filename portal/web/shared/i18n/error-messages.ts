import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { ClientErrorCode, type UiErrorCode } from '../api/ui-error.js';
import { Language } from './language.js';

/**
 * One sentence per error code, in both languages: what a clerk (or whoever looks at the display)
 * reads instead of the portal's English message. Typed as a full record, so a code added to the
 * contract without its translation fails to compile.
 */
export type ErrorMessages = Readonly<Record<UiErrorCode, string>>;

const zh: ErrorMessages = {
  [PortalErrorCode.BadRequest]: '请求有误，请检查填写的内容',
  [PortalErrorCode.Unauthorized]: '未登录或登录已失效，请重新登录',
  [PortalErrorCode.NotFound]: '未找到该记录，可能已被其他窗口处理',
  [PortalErrorCode.UnknownService]: '该业务不存在或已停办',
  [PortalErrorCode.InvalidTransition]: '该号码当前状态不允许此操作（可能已被处理），队列已刷新',
  [PortalErrorCode.Conflict]: '操作冲突，请刷新后重试',
  [PortalErrorCode.AlreadyWaiting]: '该群众已有此业务的排队号码',
  [PortalErrorCode.BandCap]: '号段已用尽',
  [PortalErrorCode.RateLimited]: '操作过于频繁，请稍后再试',
  [PortalErrorCode.Forbidden]: '您的账号无权执行此操作',
  [PortalErrorCode.Csrf]: '页面安全校验失败，请刷新页面后重试',
  [PortalErrorCode.LockedOut]: '密码错误次数过多，账号已暂时锁定，请稍后再试',
  [PortalErrorCode.CounterBusy]: '本窗口还有正在呼叫或办理的号码，请先办结、挂起或转移',
  [PortalErrorCode.CounterPaused]: '窗口已暂停，请先恢复服务',
  [PortalErrorCode.CounterSignedOut]: '该窗口尚未登录，请先进入窗口',
  [PortalErrorCode.CounterTaken]: '该窗口已由其他工作人员使用',
  [PortalErrorCode.DuplicateCaseNumber]: '该办件编号已被使用，请核对编号（本号码尚未办结）',
  [PortalErrorCode.NotRateable]: '该号码尚未办结或不存在，暂不能评价',
  [PortalErrorCode.AlreadyRated]: '该号码已评价过，每次办理只能评价一次',
  [PortalErrorCode.SlotFull]: '该时段已约满，请选择其他时段',
  [PortalErrorCode.NoSuchSlot]: '没有这个预约时段，请重新选择',
  [PortalErrorCode.OutsideBookingWindow]: '该日期不在可预约范围内',
  [PortalErrorCode.ClosedDay]: '该日不办理此业务（节假日或非办公日）',
  [PortalErrorCode.AlreadyBooked]: '您当天已预约过该事项，每项业务每天限约一次',
  [PortalErrorCode.HoldExpired]: '保留时间已过，名额已释放，请重新选择时段',
  [PortalErrorCode.NotBookable]: '该事项暂不支持网上预约',
  [PortalErrorCode.ServiceUnavailable]: '服务暂时不可用，请稍后再试',
  [PortalErrorCode.Internal]: '系统错误，请稍后再试或联系管理员',
  [ClientErrorCode.Network]: '无法连接服务器，请检查网络',
  [ClientErrorCode.BadAnswer]: '服务器应答格式不符，请刷新页面（页面与服务器版本可能不一致）',
};

const en: ErrorMessages = {
  [PortalErrorCode.BadRequest]: 'The request is not valid — please check what you entered',
  [PortalErrorCode.Unauthorized]: 'You are not signed in, or your session has ended — please sign in again',
  [PortalErrorCode.NotFound]: 'Not found — another counter may have handled it',
  [PortalErrorCode.UnknownService]: 'This service does not exist or is closed',
  [PortalErrorCode.InvalidTransition]: 'Not possible in the ticket’s current state (it may have been handled); the queue was refreshed',
  [PortalErrorCode.Conflict]: 'Conflicting action — please refresh and try again',
  [PortalErrorCode.AlreadyWaiting]: 'This visitor already holds a number for this service',
  [PortalErrorCode.BandCap]: 'No numbers left in the band',
  [PortalErrorCode.RateLimited]: 'Too many requests — please wait a moment',
  [PortalErrorCode.Forbidden]: 'Your account may not do this',
  [PortalErrorCode.Csrf]: 'The page failed a security check — please reload it and try again',
  [PortalErrorCode.LockedOut]: 'Too many wrong passwords: the account is locked for a while',
  [PortalErrorCode.CounterBusy]: 'This counter still has a called or served ticket — complete, hold or transfer it first',
  [PortalErrorCode.CounterPaused]: 'The counter is paused — resume it first',
  [PortalErrorCode.CounterSignedOut]: 'Nobody is signed in at this counter — open it first',
  [PortalErrorCode.CounterTaken]: 'Another member of staff is using this counter',
  [PortalErrorCode.DuplicateCaseNumber]: 'This case number is already in use — check it (the ticket was not completed)',
  [PortalErrorCode.NotRateable]: 'This ticket cannot be rated (not served yet, or unknown)',
  [PortalErrorCode.AlreadyRated]: 'This visit was rated already — one rating per visit',
  [PortalErrorCode.SlotFull]: 'This time slot is fully booked — please choose another',
  [PortalErrorCode.NoSuchSlot]: 'There is no such time slot — please choose again',
  [PortalErrorCode.OutsideBookingWindow]: 'That day cannot be booked (outside the booking period)',
  [PortalErrorCode.ClosedDay]: 'This service is closed that day (holiday or non-working day)',
  [PortalErrorCode.AlreadyBooked]: 'You already booked this service that day — one booking per service per day',
  [PortalErrorCode.HoldExpired]: 'Your hold ran out and the place was released — please choose a slot again',
  [PortalErrorCode.NotBookable]: 'This service cannot be booked online',
  [PortalErrorCode.ServiceUnavailable]: 'The service is temporarily unavailable — please try again shortly',
  [PortalErrorCode.Internal]: 'System error — please try again or ask the administrator',
  [ClientErrorCode.Network]: 'The server cannot be reached — please check the network',
  [ClientErrorCode.BadAnswer]: 'The server answered in an unexpected format — please reload the page (version mismatch?)',
};

export const errorMessages: Readonly<Record<Language, ErrorMessages>> = { [Language.Zh]: zh, [Language.En]: en };
