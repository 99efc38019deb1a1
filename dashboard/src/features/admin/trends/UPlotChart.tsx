import { useEffect, useRef } from 'react';
import uPlot, { type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { tickLabel, type ChartColumns, type ChartSpec } from './chartData';

const HEIGHT = 240;

function optionsFor(spec: ChartSpec, width: number): Options {
  return {
    width,
    height: HEIGHT,
    // uPlot's own legend under the chart: each series' name, and the hovered bucket's values
    // (the cursor's tooltip); clicking a name hides or shows its line.
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max, min, 1)] } },
    series: [
      {
        label: 'Time',
        // The hovered bucket's start, in local time.
        value: (_u, seconds: number | null) =>
          seconds === null ? '—' : new Date(seconds * 1000).toLocaleString(),
      },
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        spanGaps: false,
        // Latency has no value in a bucket without notes, so its line breaks into pieces and a
        // lone bucket would be a piece of no length: dots keep every value visible. Counts are
        // zero, not missing, in quiet buckets, so their lines are whole.
        points: { show: spec.kind === 'latency', size: 5 },
        value: (_u: uPlot, v: number | null) => (v === null ? '—' : tickLabel(spec.kind, v)),
      })),
    ],
    axes: [
      { label: 'Local time', stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } },
      {
        label: spec.unit,
        stroke: 'currentColor',
        size: 70,
        grid: { stroke: 'rgba(128,128,128,0.2)' },
        values: (_u, ticks) => ticks.map((t) => tickLabel(spec.kind, t)),
      },
    ],
  };
}

/**
 * One uPlot chart that fills its container's width: made when mounted, given new data when
 * `data` changes, resized with its container, destroyed when unmounted. uPlot draws on a
 * canvas, so the caller gives a text summary beside it.
 */
export function UPlotChart({ spec, data }: { spec: ChartSpec; data: ChartColumns }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  // The data at hand when the chart is made (later data goes through setData).
  const latest = useRef(data);
  useEffect(() => {
    latest.current = data;
  }, [data]);

  // Made once per chart spec; its data is set by the effect below.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const width = Math.max(element.clientWidth, 300);
    const plot = new uPlot(optionsFor(spec, width), latest.current, element);
    chart.current = plot;
    const observer =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            const box = entries[0]?.contentRect;
            if (box && box.width > 0 && Math.abs(box.width - plot.width) > 1) {
              plot.setSize({ width: box.width, height: HEIGHT });
            }
          });
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [spec]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data, spec]);

  // `data-points` tells tests (and curious readers of the DOM) how many values are drawn:
  // buckets with a value, over every series (an empty bucket is a gap, not a point).
  const drawn = data
    .slice(1)
    .reduce((sum, column) => sum + column.filter((v) => v != null).length, 0);
  return <div ref={container} className="uplot-chart" aria-hidden="true" data-points={drawn} />;
}
