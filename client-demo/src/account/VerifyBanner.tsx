import type { JSX } from 'preact';
import { t } from '../i18n';
import { needsVerification } from '../lib/refusals';
import { route } from '../lib/router';
import { user } from '../lib/session';
import { Icon } from '../ui/icons';
import { Banner } from '../ui/kit';

/**
 * Across the top once a write was refused for want of a verified school email (REQUIRE_VERIFIED
 * on the server), with the way to the verification screen; not on that screen itself.
 */
export function VerifyBanner(): JSX.Element | null {
  if (!needsVerification.value || user.value?.verified) return null;
  if (route.value.path === '/me/verify') return null;
  return (
    <div class="verify-banner" data-banner="verify">
      <Banner kind="info">
        <Icon name="shield" size={16} /> {t('verify.banner')}{' '}
        <a href="#/me/verify" data-nav="verify">
          {t('verify.bannerLink')}
        </a>
      </Banner>
    </div>
  );
}
