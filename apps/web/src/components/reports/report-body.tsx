'use client';
import { REPORT_MODULES, type ReportView } from '@investiq/api/reports';
import { Fragment } from 'react';
import { useDict, usePrefs } from '~/lib/i18n';
import { reportsDict } from '~/lib/i18n/reports';
import { ChartCard } from './chart-card';
import { Lineage } from './lineage';
import { SECTIONS } from './sections/registry';
import { SectionFrame } from './sections/section-frame';

/** A report: one card per requested module (its component from `SECTIONS`), the price chart, lineage. */
export function ReportBody({ report, print = false }: { report: ReportView; print?: boolean }) {
  const d = useDict(reportsDict);
  const { lang } = usePrefs();
  const requested = (m: string) => report.sections.find((s) => s.module === m);
  const chartBefore = REPORT_MODULES.find((m) => SECTIONS[m].onChart && requested(m));
  return (
    <div className={`report ${print ? 'report-print' : ''}`}>
      <div className="rgrid">
        {REPORT_MODULES.map((m) => {
          const s = requested(m);
          if (!s) return null;
          const { Body, title, wide, live } = SECTIONS[m];
          return (
            <Fragment key={m}>
              {m === chartBefore && <ChartCard report={report} d={d} />}
              <SectionFrame s={s} title={title(d)} d={d} wide={wide} live={live}>
                <Body report={report} section={s} d={d} lang={lang} />
              </SectionFrame>
            </Fragment>
          );
        })}
      </div>
      <Lineage report={report} d={d} />
    </div>
  );
}
