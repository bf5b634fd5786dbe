import { TicketStatus } from '../../../../common/contract/counter-api.js';
import { errorMessages } from '../../shared/i18n/error-messages.js';
import { Language } from '../../shared/i18n/language.js';
import { FeedStatus } from '../../shared/live/hall-event-feed.js';
import type { DisplayDictionary } from './display-dictionary.js';

export const displayZh: DisplayDictionary = {
  title: '叫号显示屏',
  callingHeading: '请以下号码到窗口办理',
  counterSign: (n) => `${n} 号窗口`,
  recallBadge: '重呼',
  statusBadge: {
    [TicketStatus.Waiting]: '已转移',
    [TicketStatus.Called]: null,
    [TicketStatus.Serving]: '办理中',
    [TicketStatus.Held]: '暂挂',
    [TicketStatus.NoShow]: '过号',
    [TicketStatus.Done]: '已办结',
    [TicketStatus.Cancelled]: '已取消',
  },
  noCalls: '暂无叫号',
  waitingHeading: '等候人数',
  waitingCount: (n) => `${n} 人`,
  noticeLabel: '大厅通知',
  clockLabel: '当前时间',
  feed: {
    [FeedStatus.Connecting]: '正在连接…',
    [FeedStatus.Live]: null,
    [FeedStatus.Reconnecting]: '网络中断，正在重新连接，叫号不会遗漏',
    [FeedStatus.Refused]: '显示屏授权已失效',
  },
  loading: '正在加载…',
  audioBlocked: '浏览器未允许播放声音：请点击屏幕，或以 --autoplay-policy=no-user-gesture-required 启动 Chromium',
  noTokenTitle: '显示屏尚未授权',
  noTokenBody: '请管理员在地址末尾加上 #token=显示屏令牌 后打开本页（令牌只保存在本机）。',
  refusedTitle: '显示屏授权无效',
  refusedBody: '门户拒绝了本显示屏的令牌（可能已吊销）。请管理员重新生成令牌，并以 #token=… 打开本页。',
  errorByCode: errorMessages[Language.Zh],
};
