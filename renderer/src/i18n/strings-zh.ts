import { KioskErrorCode } from '../../../common/contract/errors.js';
import { PrinterState, PrintState } from '../../../common/contract/kiosk-api.js';
import type { Dictionary } from './dictionary.js';

export const zh: Dictionary = {
  hallNameLoading: '政务服务大厅',
  chooseService: '请选择您要办理的业务',
  loadingServices: '正在加载业务列表…',
  takingTicket: '正在取号，请稍候…',
  languageToggleLabel: '切换语言',
  offlineNotice: '网络暂时中断，仍可正常取号',
  printerNotice: {
    [PrinterState.Ready]: null,
    [PrinterState.Unknown]: null,
    [PrinterState.PaperNearEnd]: null,
    [PrinterState.PaperOut]: '打印机缺纸，号码将显示在屏幕上',
    [PrinterState.CoverOpen]: '打印机盖未关好，号码将显示在屏幕上',
    [PrinterState.Offline]: '打印机暂时无法使用，号码将显示在屏幕上',
    [PrinterState.Error]: '打印机故障，号码将显示在屏幕上',
  },
  ticketHeading: '您的排队号码',
  peopleAhead: (count, approximate) =>
    count === null ? '前面等候人数：—' : approximate ? `前面还有约 ${count} 人` : `前面还有 ${count} 人`,
  issuedAt: (time) => `取号时间 ${time}`,
  issuedOffline: '离线取号',
  printState: {
    [PrintState.Pending]: '正在打印…',
    [PrintState.Printing]: '正在打印…',
    [PrintState.Printed]: '已打印，请取走凭条',
    [PrintState.Failed]: '打印失败，请拍下屏幕上的号码',
    [PrintState.PossiblyPrinted]: '如未取到凭条，请拍下屏幕上的号码',
    [PrintState.OnScreenOnly]: '请拍下屏幕上的号码与二维码',
  },
  qrCaption: '扫码或拍照留存您的号码',
  done: '完成',
  autoReturnHint: '页面将自动返回首页',
  errorByCode: {
    [KioskErrorCode.BadRequest]: '请求有误，请重试',
    [KioskErrorCode.UnknownMethod]: '操作暂不支持，请联系工作人员',
    [KioskErrorCode.Unauthorized]: '终端未授权，请联系工作人员',
    [KioskErrorCode.NotFound]: '未找到相关信息',
    [KioskErrorCode.UnknownService]: '该业务暂不可办理，请选择其他业务',
    [KioskErrorCode.ServiceUnavailable]: '服务暂时不可用，请稍后再试',
    [KioskErrorCode.StorageFailure]: '终端故障，请联系工作人员',
    [KioskErrorCode.PrinterUnavailable]: '打印机暂不可用，请联系工作人员',
    [KioskErrorCode.Internal]: '系统繁忙，请稍后再试',
  },
  dismiss: '关闭',
};
