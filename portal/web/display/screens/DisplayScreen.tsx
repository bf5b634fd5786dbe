import { TicketStatus } from '../../../../common/contract/counter-api.js';
import { callText } from '../../../../common/voice/call-announcement.js';
import { VoiceLanguage } from '../../../../common/voice/clip-set.js';
import { formatDate, formatHms } from '../../shared/format/time.js';
import { Language, localized, otherLanguage } from '../../shared/i18n/language.js';
import { displayDictionaries } from '../i18n/index.js';
import { DisplayPhase, type BoardCall, type DisplayState } from '../state/display-store.js';
import { NoticeTicker } from './NoticeTicker.js';

export interface DisplayScreenProps {
  state: DisplayState;
  /** The language shown large; the other is shown small beside it. */
  language: Language;
  /** The portal's time now (machine clock plus the portal's offset). */
  now: number;
}

/** A text in the primary language with the other one small after it. */
function Both({ zh, en, language }: { zh: string; en: string; language: Language }) {
  const [first, second] = language === Language.En ? [en, zh] : [zh, en];
  return (
    <>
      <span lang={language === Language.En ? 'en' : 'zh-CN'}>{first}</span>
      <span className="secondary" lang={language === Language.En ? 'zh-CN' : 'en'}>
        {second}
      </span>
    </>
  );
}

/**
 * Under the sign: the sign in the other language, and the counter's name where it says more than
 * the sign (a hall that names its counters `8 号窗口` gets no echo).
 */
export function counterSubtitle(call: Pick<BoardCall, 'counterNumber' | 'counterName'>, language: Language): string {
  const t = displayDictionaries[language];
  const other = displayDictionaries[otherLanguage(language)];
  const name = localized(call.counterName, language);
  const signs = [t.counterSign(call.counterNumber), other.counterSign(call.counterNumber)].map((s) => s.replace(/\s+/g, ''));
  const parts = signs.includes(name.replace(/\s+/g, '')) ? [] : [name];
  return [...parts, other.counterSign(call.counterNumber)].join(' · ');
}

function CallRow({ call, fresh, language, lead }: { call: BoardCall; fresh: boolean; language: Language; lead: boolean }) {
  const t = displayDictionaries[language];
  const badge = t.statusBadge[call.status];
  return (
    <li
      className={`call${lead ? ' call-lead' : ''}${fresh ? ' call-fresh' : ''}`}
      data-testid={`call-${call.number}`}
      data-status={call.status}
      data-fresh={fresh ? 'true' : 'false'}
    >
      <span className="call-number" data-testid="call-number">
        {call.number}
      </span>
      <span className="call-arrow" aria-hidden="true">
        →
      </span>
      <span className="call-counter" data-testid="call-counter">
        <span className="call-counter-sign">{t.counterSign(call.counterNumber)}</span>
        <span className="call-counter-name secondary">{counterSubtitle(call, language)}</span>
      </span>
      {call.recall && call.status === TicketStatus.Called && (
        <span className="badge badge-recall" data-testid="recall-badge">
          {t.recallBadge}
        </span>
      )}
      {badge && (
        <span className="badge badge-status" data-testid="status-badge">
          {badge}
        </span>
      )}
    </li>
  );
}

export function DisplayScreen({ state, language, now }: DisplayScreenProps) {
  const t = displayDictionaries[language];
  const other = displayDictionaries[otherLanguage(language)];

  if (state.phase === DisplayPhase.NoToken || state.phase === DisplayPhase.Refused) {
    const refused = state.phase === DisplayPhase.Refused;
    return (
      <main className="display display-setup" data-testid="display-setup" data-phase={state.phase}>
        <h1>
          <Both zh={refused ? displayDictionaries.zh.refusedTitle : displayDictionaries.zh.noTokenTitle} en={refused ? displayDictionaries.en.refusedTitle : displayDictionaries.en.noTokenTitle} language={language} />
        </h1>
        <p>{refused ? t.refusedBody : t.noTokenBody}</p>
        <p className="secondary">{refused ? other.refusedBody : other.noTokenBody}</p>
      </main>
    );
  }

  const hallName = state.hall ? localized(state.hall.name, language) : t.loading;
  const hallOther = state.hall ? localized(state.hall.name, otherLanguage(language)) : '';
  const [lead, ...rest] = state.calls;
  const feedNotice = t.feed[state.feed];
  const notice = state.settings.notice;
  const latestSaid = lead ? callText({ number: lead.number, counterNumber: lead.counterNumber, recall: lead.recall }, language === Language.En ? VoiceLanguage.En : VoiceLanguage.Zh) : '';

  return (
    <main className="display" data-testid="display" data-phase={state.phase}>
      <header className="display-header">
        <h1 className="hall-name" data-testid="hall-name">
          <span>{hallName}</span>
          {hallOther && <span className="secondary">{hallOther}</span>}
        </h1>
        <div className="clock" role="timer" aria-label={t.clockLabel} data-testid="clock">
          <span className="clock-time">{formatHms(now, language)}</span>
          <span className="clock-date">{formatDate(now, language)}</span>
        </div>
      </header>

      {feedNotice && (
        <p className="feed-notice" role="status" data-testid="feed-notice" data-feed={state.feed}>
          {feedNotice}
        </p>
      )}
      {state.audioBlocked && (
        <p className="feed-notice" role="status" data-testid="audio-blocked">
          {t.audioBlocked}
        </p>
      )}
      {state.error && state.phase === DisplayPhase.Loading && (
        <p className="feed-notice" role="alert" data-testid="display-error" data-code={state.error.code}>
          {t.errorByCode[state.error.code]}
        </p>
      )}

      <section className="calls-panel" aria-labelledby="calls-heading">
        <h2 id="calls-heading" className="panel-heading">
          <Both zh={displayDictionaries.zh.callingHeading} en={displayDictionaries.en.callingHeading} language={language} />
        </h2>
        {lead ? (
          <ol className="calls" data-testid="calls">
            <CallRow call={lead} fresh={state.fresh[lead.ticketId] === true} language={language} lead />
            {rest.map((call) => (
              <CallRow key={call.ticketId} call={call} fresh={state.fresh[call.ticketId] === true} language={language} lead={false} />
            ))}
          </ol>
        ) : (
          <p className="no-calls" data-testid="no-calls">
            <Both zh={displayDictionaries.zh.noCalls} en={displayDictionaries.en.noCalls} language={language} />
          </p>
        )}
        {/* What the voice says, for a screen reader near the screen. */}
        <p className="visually-hidden" aria-live="polite" data-testid="latest-call-text">
          {latestSaid}
        </p>
      </section>

      <section className="waiting-panel" aria-labelledby="waiting-heading">
        <h2 id="waiting-heading" className="panel-heading">
          <Both zh={displayDictionaries.zh.waitingHeading} en={displayDictionaries.en.waitingHeading} language={language} />
        </h2>
        <ul className="waiting" data-testid="waiting">
          {state.services.map((service) => (
            <li key={service.id} className="waiting-row" data-testid={`waiting-${service.id}`}>
              <span className="waiting-prefix" aria-hidden="true">
                {service.prefix}
              </span>
              <span className="waiting-name">
                <span>{localized(service.name, language)}</span>
                <span className="secondary">{localized(service.name, otherLanguage(language))}</span>
              </span>
              <span className="waiting-count" data-testid="waiting-count">
                {t.waitingCount(state.waiting[service.id] ?? 0)}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <footer className="notice-bar" aria-label={t.noticeLabel}>
        {notice && <NoticeTicker text={`${localized(notice, language)}\u3000\u3000${localized(notice, otherLanguage(language))}`} />}
      </footer>
    </main>
  );
}
