'use client';
import { useEffect, useState } from 'react';
import { AuthCard, postAuth } from '~/components/admin/auth-form';
import '~/components/admin/admin.css';
import { useDict } from '~/lib/i18n';
import { adminDict } from '~/lib/i18n/admin';

export default function SetupPage() {
  const t = useDict(adminDict);
  const [token, setToken] = useState<string | null>(null);
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setToken(new URLSearchParams(window.location.search).get('token') ?? ''), []);
  return (
    <AuthCard
      title={t.setupTitle}
      intro={token === null ? undefined : token ? t.setupIntro : t.setupNoToken}
      testId="setup"
      submitLabel={t.create}
      busyLabel={t.signingIn}
      error={error}
      onSubmit={async () => {
        if (password !== again) return setError(t.passwordsDiffer);
        const err = await postAuth('/api/auth/setup', { token: token ?? '', username, password });
        setError(err);
        if (!err) window.location.assign('/admin');
      }}
    >
      <label>
        {t.username}
        <input
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          data-testid="setup-username"
          required
        />
      </label>
      <label>
        {t.password}
        <input
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="setup-password"
          minLength={10}
          required
        />
      </label>
      <label>
        {t.passwordAgain}
        <input
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          data-testid="setup-password2"
          required
        />
      </label>
    </AuthCard>
  );
}
