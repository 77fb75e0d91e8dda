'use client';
import { diffLines } from 'diff';

/** Line diff of two template versions: added lines green, removed lines red and struck through. */
export function TextDiff({ before, after, testId }: { before: string; after: string; testId?: string }) {
  const parts = diffLines(before, after);
  return (
    <pre data-testid={testId}>
      {parts.map((p, i) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: diff parts have no identity beyond their order
          key={i}
          className={p.added ? 'diff-add' : p.removed ? 'diff-del' : undefined}
          data-diff={p.added ? 'add' : p.removed ? 'del' : 'same'}
        >
          {p.value}
        </span>
      ))}
    </pre>
  );
}
