import { localized } from '../../shared/i18n/language.js';
import { FocusHeading } from '../components/FocusHeading.js';
import { Link } from '../components/Link.js';
import type { Hall } from '../state/citizen-store.js';
import type { PageProps } from './page-props.js';

/** The halls to choose from, for a journey that is about one hall; the journey goes on in the chosen one. */
export function HallChooser(props: PageProps & { halls: Hall[]; unknownHall: boolean }) {
  const { t, language, nav, route } = props;
  return (
    <>
      <FocusHeading>{t.hall.chooseHeading}</FocusHeading>
      {props.unknownHall && (
        <p className="notice" role="alert" data-testid="unknown-hall">
          {t.hall.unknown}
        </p>
      )}
      {props.halls.length === 0 ? (
        <p data-testid="no-halls">{t.hall.none}</p>
      ) : (
        <>
          <p className="lead">{t.hall.chooseIntro}</p>
          <ul className="choice-list" data-testid="halls">
            {props.halls.map((hall) => (
              <li key={hall.hallId}>
                <Link nav={nav} className="choice" to={{ ...route, hallId: hall.hallId }} testId={`hall-${hall.hallId}`}>
                  {localized(hall.name, language)}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
