import { Language } from '../i18n/index.js';

export function LanguageToggle({ language, label, onToggle }: { language: Language; label: string; onToggle: () => void }) {
  return (
    <button type="button" className="lang-toggle" data-testid="lang-toggle" data-language={language} aria-label={label} onClick={onToggle}>
      <span lang="zh-CN" className={language === Language.Zh ? 'lang-active' : 'lang-inactive'}>
        中文
      </span>
      <span className="lang-separator" aria-hidden="true">
        /
      </span>
      <span lang="en" className={language === Language.En ? 'lang-active' : 'lang-inactive'}>
        English
      </span>
    </button>
  );
}
