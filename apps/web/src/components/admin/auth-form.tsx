'use client';
import { type FormEvent, type ReactNode, useState } from 'react';

/** POST JSON to one of the /api/auth endpoints; returns the error message or null. */
export async function postAuth(path: string, body: unknown): Promise<string | null> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (res.ok) return null;
  const data = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return data?.error?.message ?? `request failed (${res.status})`;
}

export function AuthCard({
  title,
  intro,
  onSubmit,
  submitLabel,
  busyLabel,
  error,
  children,
  testId,
}: {
  title: string;
  intro?: ReactNode;
  onSubmit: () => Promise<void>;
  submitLabel: string;
  busyLabel: string;
  error: string | null;
  children: ReactNode;
  testId: string;
}) {
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onSubmit();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card auth-card">
      <h1>{title}</h1>
      {intro ? <p className="muted">{intro}</p> : null}
      <form onSubmit={submit} className="auth-form" data-testid={testId}>
        {children}
        {error ? (
          <p className="error" role="alert" data-testid={`${testId}-error`}>
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy} data-testid={`${testId}-submit`}>
          {busy ? busyLabel : submitLabel}
        </button>
      </form>
    </section>
  );
}
