'use client';
import Link from 'next/link';
import { useDemoOnScreen } from '~/lib/demo-presence';
import { type ColorMode, type Lang, usePrefs } from '~/lib/i18n';
import { AlertBell } from './alerts/bell';
import { BacktestsNavLink } from './backtests/nav-link';
import { HeaderSearch } from './header-search';
import { PortfolioNavLink } from './portfolio/nav-link';
import { ReportsNavLink } from './reports/nav-link';
import { UserMenu } from './user-menu';

export function Header() {
  const { t, lang, setLang, colorMode, setColorMode } = usePrefs();
  const demoOnScreen = useDemoOnScreen();
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          {t.appName}
          <span className="tagline">{t.tagline}</span>
        </Link>
        <HeaderSearch />
        <div className="prefs">
          <ReportsNavLink />
          <BacktestsNavLink />
          <PortfolioNavLink />
          <AlertBell />
          <UserMenu />
          <label>
            <span className="sr-only">{t.language}</span>
            <select
              aria-label={t.language}
              value={lang}
              onChange={(e) => setLang(e.target.value as Lang)}
              data-testid="lang"
            >
              <option value="en">English</option>
              <option value="zh-CN">简体中文</option>
            </select>
          </label>
          <label>
            <span className="sr-only">{t.colors}</span>
            <select
              aria-label={t.colors}
              value={colorMode}
              onChange={(e) => setColorMode(e.target.value as ColorMode)}
              data-testid="colors"
            >
              <option value="market">{t.colorMarket}</option>
              <option value="red-up">{t.colorRedUp}</option>
              <option value="green-up">{t.colorGreenUp}</option>
            </select>
          </label>
        </div>
      </header>
      {demoOnScreen ? (
        <div className="demo-banner" role="note" data-testid="demo-banner">
          {t.demoBanner}
        </div>
      ) : null}
    </>
  );
}
