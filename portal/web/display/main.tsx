import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { clipsInUse } from '../../../common/browser/voice/announcement.js';
import { createAnnouncementQueue } from '../../../common/browser/voice/announcement-queue.js';
import { installHallVoiceHook } from '../../../common/browser/voice/hall-voice-hook.js';
import { createSpeechVoice } from '../../../common/browser/voice/speech-voice.js';
import { AudioBlockedError, createWebAudioPlayer } from '../../../common/browser/voice/web-audio-player.js';
import { createPortalClient } from '../shared/api/portal-client.js';
import { Language } from '../shared/i18n/language.js';
import { openHallEventFeed } from '../shared/live/open-hall-event-feed.js';
import { DisplayApp } from './DisplayApp.js';
import { createDisplayStore } from './state/display-store.js';
import { takeDisplayToken } from './token.js';
import '../shared/styles/base.css';
import './display.css';

// The portal's root: the page lives at /display/, the API, the stream and the clips one level up.
const portalRoot = new URL('../', window.location.href);
const token = takeDisplayToken(window.location, window.localStorage, (url) => window.history.replaceState(null, '', url));
const language = new URLSearchParams(window.location.search).get('lang') === 'en' ? Language.En : Language.Zh;

const player = createWebAudioPlayer({ baseUrl: portalRoot });
const voice = createAnnouncementQueue({
  player,
  speech: createSpeechVoice(),
  settings: () => store.getState().settings,
  onProblem: (what, err) => {
    console.warn(`hall voice: ${what}`, err);
    if (err instanceof AudioBlockedError) store.setState({ audioBlocked: true });
  },
});
// Without the autoplay flag, any touch or key on the display starts the sound.
const unlock = () => void player.unlock().then(() => store.setState({ audioBlocked: false }));
window.addEventListener('pointerdown', unlock);
window.addEventListener('keydown', unlock);
installHallVoiceHook(window, voice);

const client = createPortalClient({ baseUrl: portalRoot, bearerToken: () => token });
const store = createDisplayStore({
  client,
  token,
  openFeed: openHallEventFeed,
  announce: (call) => voice.enqueue(call),
});
// Every clip the settings use, once, ahead of the first call: a call is then said without
// waiting for the network (English too once the hall turns it on).
void store.getState().start().then(() => player.preload(clipsInUse(store.getState().settings)));
store.subscribe((state, previous) => {
  if (state.settings.voiceEnglish && !previous.settings.voiceEnglish) void player.preload(clipsInUse(state.settings));
});

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('display/index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <DisplayApp store={store} language={language} />
  </StrictMode>,
);
