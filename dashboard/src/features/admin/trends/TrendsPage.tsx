import { useCallback, useId, useMemo, useState, type SyntheticEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState, LoadingState } from '@lossy/common/ui';

import type { AdminAnalyticsQuery, AnalyticsBucket } from '@/gql/graphql';
import { exactTime } from '@/lib/time';

import { AdminError } from '../shared/AdminError';
import { fromLocalInput, toLocalInput } from '../shared/format';
import { CHARTS, shapeChart, type ChartSpec } from './chartData';
import { AnalyticsDocument } from './api';
import {
  bucketOptions,
  effectiveBucket,
  parseRangeChoice,
  PRESETS,
  rangeChoiceParams,
  rangeProblem,
  resolveRange,
  type Range,
  type RangeChoice,
} from './range';
import { UPlotChart } from './UPlotChart';
import './trends.css';

/** `/admin/trends`: every analytics series over a chosen range. */
export function TrendsPage() {
  const [params, setParams] = useSearchParams();
  const choice = parseRangeChoice(params);
  // Presets end "now": fixed when the page opens or the range changes, and on Refresh.
  const [now, setNow] = useState(() => Date.now());
  const range = resolveRange(choice, now);
  const problem = rangeProblem(range);
  const bucket = effectiveBucket(range, choice.bucket);
  const choose = (next: RangeChoice) => {
    setNow(Date.now());
    setParams(rangeChoiceParams(next), { replace: true });
  };

  return (
    <section aria-labelledby="trends-heading">
      <h2 id="trends-heading">Trends</h2>
      <p className="hint">
        Delivery and voice latency, notes, problems, activity and telemetry over time, from the
        server&apos;s per-minute rollups. Times are local.
      </p>
      <RangeForm
        choice={choice}
        range={range}
        bucket={bucket}
        onChoose={choose}
        onRefresh={() => {
          setNow(Date.now());
        }}
      />
      {problem ? (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      ) : (
        <Charts range={range} bucket={bucket} />
      )}
    </section>
  );
}

function RangeForm({
  choice,
  range,
  bucket,
  onChoose,
  onRefresh,
}: {
  choice: RangeChoice;
  range: Range;
  bucket: AnalyticsBucket;
  onChoose: (choice: RangeChoice) => void;
  onRefresh: () => void;
}) {
  const id = useId();
  const [fromText, setFromText] = useState(() => toLocalInput(range.from));
  const [toText, setToText] = useState(() => toLocalInput(range.to));
  const rangeValue = choice.kind === 'custom' ? 'custom' : choice.preset;
  const options = rangeProblem(range) ? [] : bucketOptions(range);

  const applyCustom = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const from = fromLocalInput(fromText);
    const to = fromLocalInput(toText);
    if (from && to) onChoose({ kind: 'custom', from, to, bucket: choice.bucket });
  };

  return (
    <form
      className="admin-filters trends-form"
      aria-label="Range and bucket"
      onSubmit={applyCustom}
    >
      <label className="field">
        <span>Range</span>
        <select
          value={rangeValue}
          onChange={(event) => {
            const value = event.target.value;
            const preset = PRESETS.find((p) => p.value === value);
            if (preset) {
              onChoose({ kind: 'preset', preset: preset.value, bucket: choice.bucket });
            } else {
              setFromText(toLocalInput(range.from));
              setToText(toLocalInput(range.to));
              onChoose({ kind: 'custom', from: range.from, to: range.to, bucket: choice.bucket });
            }
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.name}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {choice.kind === 'custom' && (
        <>
          <label className="field">
            <span>From</span>
            <input
              type="datetime-local"
              value={fromText}
              onChange={(event) => {
                setFromText(event.target.value);
              }}
              required
            />
          </label>
          <label className="field">
            <span>To</span>
            <input
              type="datetime-local"
              value={toText}
              onChange={(event) => {
                setToText(event.target.value);
              }}
              required
            />
          </label>
          <div className="filter-actions">
            <button type="submit" className="button">
              Apply range
            </button>
          </div>
        </>
      )}
      <fieldset className="trends-buckets" aria-describedby={`${id}-buckets`}>
        <legend>Bucket</legend>
        {options.map((option) => (
          <label key={option.value} className={option.allowed ? undefined : 'disabled'}>
            <input
              type="radio"
              name={`${id}-bucket`}
              value={option.value}
              checked={bucket === option.value}
              disabled={!option.allowed}
              onChange={() => {
                onChoose({ ...choice, bucket: option.value });
              }}
            />{' '}
            {option.name}{' '}
            <span className="hint">
              ({option.points.toLocaleString()} points{option.allowed ? '' : ', too many'})
            </span>
          </label>
        ))}
        <span id={`${id}-buckets`} className="visually-hidden">
          Buckets giving more than 1,500 points are not offered.
        </span>
      </fieldset>
      {choice.kind === 'preset' && (
        <div className="filter-actions">
          <button type="button" className="button" onClick={onRefresh}>
            Refresh
          </button>
        </div>
      )}
    </form>
  );
}

function Charts({ range, bucket }: { range: Range; bucket: AnalyticsBucket }) {
  const variables = useMemo(
    () => ({ from: range.from, to: range.to, bucket }),
    [range.from, range.to, bucket],
  );
  const [result, reexecute] = useQuery({ query: AnalyticsDocument, variables });
  const retry = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [reexecute]);

  if (result.error && !result.data) {
    return <AdminError what="the analytics" error={result.error} onRetry={retry} />;
  }
  if (!result.data) return <LoadingState label="Loading the analytics" />;
  const analytics = result.data.analytics;
  return (
    <>
      <p className="hint" role="status">
        {exactTime(analytics.from)} to {exactTime(analytics.to)}, {analytics.points.length}{' '}
        {analytics.bucket.toLowerCase()} buckets{result.fetching ? ' (updating…)' : ''}
      </p>
      <div className="trends-charts">
        {CHARTS.map((spec) => (
          <TrendChart key={spec.id} spec={spec} analytics={analytics} />
        ))}
      </div>
    </>
  );
}

function TrendChart({
  spec,
  analytics,
}: {
  spec: ChartSpec;
  analytics: AdminAnalyticsQuery['analytics'];
}) {
  const shaped = useMemo(() => shapeChart(analytics.points, spec), [analytics.points, spec]);
  const headingId = useId();
  return (
    <figure className="card trends-chart" aria-labelledby={headingId}>
      <h3 id={headingId}>{spec.title}</h3>
      {shaped.hasData ? (
        <UPlotChart spec={spec} data={shaped.data} />
      ) : (
        <EmptyState title="No data in this range">
          <p>Nothing was recorded for this chart between these times.</p>
        </EmptyState>
      )}
      <figcaption>
        {spec.summary(analytics.total)} <span className="hint">Y axis: {spec.unit}.</span>
      </figcaption>
    </figure>
  );
}
