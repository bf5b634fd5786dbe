import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { ClientErrorCode } from '../../shared/api/ui-error.js';
import type { ErrorMessages } from '../../shared/i18n/error-messages.js';
import { Language } from '../../shared/i18n/language.js';

/**
 * The error codes as a citizen reads them (the console's wording speaks to clerks). A full
 * record: a code added to the contract without its sentence here fails to compile.
 */
const zh: ErrorMessages = {
  [PortalErrorCode.BadRequest]: '填写的内容有误，请检查后重试',
  [PortalErrorCode.Unauthorized]: '请求未获授权，请刷新页面后重试',
  [PortalErrorCode.NotFound]: '没有找到相关记录，请核对填写的内容',
  [PortalErrorCode.UnknownService]: '该事项不存在或已停办',
  [PortalErrorCode.InvalidTransition]: '当前状态下不能进行此操作',
  [PortalErrorCode.Conflict]: '操作冲突，请刷新页面后重试',
  [PortalErrorCode.AlreadyWaiting]: '您已有该事项的排队号码',
  [PortalErrorCode.BandCap]: '暂时无法取号，请稍后再试',
  [PortalErrorCode.RateLimited]: '操作过于频繁，请稍等一会儿再试',
  [PortalErrorCode.Forbidden]: '没有权限进行此操作',
  [PortalErrorCode.Csrf]: '页面安全校验失败，请刷新页面后重试',
  [PortalErrorCode.LockedOut]: '尝试次数过多，请稍后再试',
  [PortalErrorCode.CounterBusy]: '窗口忙，请稍后再试',
  [PortalErrorCode.CounterPaused]: '窗口暂停服务，请稍后再试',
  [PortalErrorCode.CounterSignedOut]: '窗口暂未开放',
  [PortalErrorCode.CounterTaken]: '窗口暂不可用',
  [PortalErrorCode.DuplicateCaseNumber]: '办件编号重复',
  [PortalErrorCode.NotRateable]: '这张号票还未办结，或号码与票据编码不符，暂不能评价',
  [PortalErrorCode.AlreadyRated]: '这张号票已经评价过了。每张号票只能评价一次，以第一次评价为准',
  [PortalErrorCode.SlotFull]: '这个时段刚刚约满了，请选择其他时段',
  [PortalErrorCode.NoSuchSlot]: '没有这个时段（办理时间可能已调整），请重新选择',
  [PortalErrorCode.OutsideBookingWindow]: '这一天不在可预约的日期范围内，请选择其他日期',
  [PortalErrorCode.ClosedDay]: '这一天不办理该事项（节假日或休息日），请选择其他日期',
  [PortalErrorCode.AlreadyBooked]: '您这一天已经预约（或正在锁定）了该事项，同一事项每天只能预约一次',
  [PortalErrorCode.HoldExpired]: '名额保留时间已过，名额已释放，请重新选择时段',
  [PortalErrorCode.NotBookable]: '该事项不支持网上预约，请直接到大厅取号办理',
  [PortalErrorCode.ServiceUnavailable]: '服务暂时不可用，请稍后再试',
  [PortalErrorCode.Internal]: '系统出错了，请稍后再试',
  [ClientErrorCode.Network]: '网络连接失败，请检查网络后重试',
  [ClientErrorCode.BadAnswer]: '服务器返回的信息无法识别，请刷新页面后重试',
};

const en: ErrorMessages = {
  [PortalErrorCode.BadRequest]: 'Something you entered is not valid — please check it and try again',
  [PortalErrorCode.Unauthorized]: 'The request was not authorised — please reload the page and try again',
  [PortalErrorCode.NotFound]: 'Nothing was found — please check what you entered',
  [PortalErrorCode.UnknownService]: 'This service does not exist or is no longer offered',
  [PortalErrorCode.InvalidTransition]: 'This is not possible in the current state',
  [PortalErrorCode.Conflict]: 'Conflicting request — please reload the page and try again',
  [PortalErrorCode.AlreadyWaiting]: 'You already hold a queue number for this service',
  [PortalErrorCode.BandCap]: 'No numbers can be issued right now — please try again later',
  [PortalErrorCode.RateLimited]: 'Too many attempts — please wait a moment and try again',
  [PortalErrorCode.Forbidden]: 'This is not allowed',
  [PortalErrorCode.Csrf]: 'The page failed a security check — please reload it and try again',
  [PortalErrorCode.LockedOut]: 'Too many attempts — please try again later',
  [PortalErrorCode.CounterBusy]: 'The counter is busy — please try again later',
  [PortalErrorCode.CounterPaused]: 'The counter is paused — please try again later',
  [PortalErrorCode.CounterSignedOut]: 'The counter is not open',
  [PortalErrorCode.CounterTaken]: 'The counter is not available',
  [PortalErrorCode.DuplicateCaseNumber]: 'This case number is already in use',
  [PortalErrorCode.NotRateable]: 'This ticket cannot be rated yet: it has not been served, or the number and code do not match',
  [PortalErrorCode.AlreadyRated]: 'This ticket has been rated already — each ticket is rated once, and the first rating stands',
  [PortalErrorCode.SlotFull]: 'That time has just filled up — please choose another',
  [PortalErrorCode.NoSuchSlot]: 'That time does not exist (the opening hours may have changed) — please choose again',
  [PortalErrorCode.OutsideBookingWindow]: 'That day cannot be booked (outside the booking window) — please choose another',
  [PortalErrorCode.ClosedDay]: 'The service is closed that day (holiday or day off) — please choose another',
  [PortalErrorCode.AlreadyBooked]: 'You have already booked (or are holding) this service on that day — one booking per service per day',
  [PortalErrorCode.HoldExpired]: 'The hold ran out and the place was released — please choose a time again',
  [PortalErrorCode.NotBookable]: 'This service cannot be booked online — take a number in the hall',
  [PortalErrorCode.ServiceUnavailable]: 'The service is temporarily unavailable — please try again shortly',
  [PortalErrorCode.Internal]: 'Something went wrong on our side — please try again later',
  [ClientErrorCode.Network]: 'No connection — please check your network and try again',
  [ClientErrorCode.BadAnswer]: 'The server’s answer could not be read — please reload the page',
};

export const citizenErrorMessages: Readonly<Record<Language, ErrorMessages>> = { [Language.Zh]: zh, [Language.En]: en };
