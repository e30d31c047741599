import type { ComponentChildren, JSX } from 'preact';
import { t } from '../i18n';
import { Icon } from '../ui/icons';

/** One settings screen (`#/me/<id>`): a way back to `#/me`, the title, and the content. */
export function SettingsPage(props: { id: string; children: ComponentChildren }): JSX.Element {
  return (
    <div class="account settings" data-settings={props.id}>
      <a class="settings__back" href="#/me" data-nav="me-back">
        <Icon name="back" size={16} />
        {t('settings.back')}
      </a>
      <section class="card settings__card" data-section={props.id}>
        <h2>{t(`settings.${props.id}`)}</h2>
        {props.children}
      </section>
    </div>
  );
}
