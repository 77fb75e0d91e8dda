'use client';
import { useState } from 'react';
import { AuthCard, postAuth } from '~/components/admin/auth-form';
import '~/components/admin/admin.css';
import { useDict } from '~/lib/i18n';
import { adminDict } from '~/lib/i18n/admin';
import { safeNext } from '~/lib/safe-next';

export default function LoginPage() {
  const t = useDict(adminDict);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <AuthCard
      title={t.signIn}
      testId="login"
      submitLabel={t.signIn}
      busyLabel={t.signingIn}
      error={error}
      onSubmit={async () => {
        const err = await postAuth('/api/auth/login', { username, password });
        setError(err);
        if (!err) window.location.assign(safeNext(new URLSearchParams(window.location.search).get('next')));
      }}
    >
      <label>
        {t.username}
        <input
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          data-testid="login-username"
          required
        />
      </label>
      <label>
        {t.password}
        <input
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="login-password"
          required
        />
      </label>
    </AuthCard>
  );
}
