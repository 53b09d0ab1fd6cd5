// The dashboard's pictures: inline SVG drawn on the server, so they show without scripts. Each
// chart is an image with a title and a description, and its figures are a table beside it for
// anyone who would rather read numbers (or cannot see the picture). Colours come from admin.css
// classes, so the charts follow the light and dark schemes.
import type { Child } from 'hono/jsx';
import { countText } from '../comments/count-cap.js';
import { plural } from '../web/format.js';
import { type DayCount, type ReplyWeek, type WeekTotal, waitText } from './dashboard-figures.js';
import type { DashboardFigures } from './dashboard-service.js';

const WIDTH = 640;
const HEIGHT = 220;
const PLOT = { left: 48, right: WIDTH - 8, top: 12, bottom: HEIGHT - 28 };

const shortDate = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const fullDate = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const short = (ms: number) => shortDate.format(ms);
const full = (ms: number) => fullDate.format(ms);

/** A round top for the scale, so the axis reads 5, 10, 20, 50... */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

interface Point {
  /** The axis label (a few shown), and the full label (in the table). */
  short: string;
  label: string;
  value: number | null;
  /** The value as the table and the picture's text say it. */
  text: string;
}

function Axes(props: { max: string; points: Point[] }) {
  const n = props.points.length;
  const step = (PLOT.right - PLOT.left) / n;
  const marks = [0, Math.floor((n - 1) / 2), n - 1];
  return (
    <g class="chart-axis">
      <line x1={PLOT.left} y1={PLOT.bottom} x2={PLOT.right} y2={PLOT.bottom} />
      <line x1={PLOT.left} y1={PLOT.top} x2={PLOT.right} y2={PLOT.top} class="chart-grid" />
      <text x={PLOT.left - 6} y={PLOT.top + 4} text-anchor="end">
        {props.max}
      </text>
      <text x={PLOT.left - 6} y={PLOT.bottom} text-anchor="end">
        0
      </text>
      {[...new Set(marks)].map((i) => {
        // The first and last labels hang inward, so they never run off the picture.
        const anchor = i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
        const x = i === 0 ? PLOT.left : i === n - 1 ? PLOT.right : PLOT.left + step * i + step / 2;
        return (
          <text x={x.toFixed(1)} y={HEIGHT - 8} text-anchor={anchor}>
            {props.points[i]?.short}
          </text>
        );
      })}
    </g>
  );
}

function Figure(props: { id: string; title: string; desc: string; columns: [string, string]; points: Point[]; picture: Child }) {
  return (
    <figure class="chart" aria-labelledby={`${props.id}-caption`}>
      <figcaption id={`${props.id}-caption`}>{props.title}</figcaption>
      <svg class="chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${props.id}-title ${props.id}-desc`}>
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{props.desc}</desc>
        {props.picture}
      </svg>
      <details class="chart-data">
        <summary>
          The figures<span class="visually-hidden">: {props.title}</span>
        </summary>
        <table class="ws-table">
          <thead>
            <tr>
              <th scope="col">{props.columns[0]}</th>
              <th scope="col">{props.columns[1]}</th>
            </tr>
          </thead>
          <tbody>
            {props.points.map((p) => (
              <tr>
                <th scope="row">{p.label}</th>
                <td>{p.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function Bars(props: { points: Point[]; max: number }) {
  const n = props.points.length;
  const step = (PLOT.right - PLOT.left) / n;
  const height = PLOT.bottom - PLOT.top;
  return (
    <g class="chart-bars">
      {props.points.map((p, i) => {
        const h = p.value === null ? 0 : (p.value / props.max) * height;
        return p.value === null ? null : (
          <rect
            x={(PLOT.left + step * i + step * 0.15).toFixed(1)}
            y={(PLOT.bottom - h).toFixed(1)}
            width={(step * 0.7).toFixed(1)}
            height={h.toFixed(1)}
          />
        );
      })}
    </g>
  );
}

export function CommentsPerDayChart(props: { days: DayCount[] }) {
  const total = props.days.reduce((sum, d) => sum + d.count, 0);
  const busiest = props.days.reduce<DayCount | undefined>((best, d) => (!best || d.count > best.count ? d : best), undefined);
  const max = niceMax(Math.max(0, ...props.days.map((d) => d.count)));
  const points = props.days.map((d) => ({ short: short(d.day), label: full(d.day), value: d.count, text: String(d.count) }));
  const first = props.days[0];
  const last = props.days.at(-1);
  const desc =
    first && last
      ? `${plural(total, 'comment', 'comments')} from readers between ${full(first.day)} and ${full(last.day)}${
          busiest && busiest.count > 0 ? `; the busiest day was ${full(busiest.day)} with ${busiest.count}` : ''
        }.`
      : 'No days to show.';
  return (
    <Figure
      id="chart-comments"
      title={`Comments per day, last ${props.days.length} days`}
      desc={desc}
      columns={['Day (UTC)', 'Comments']}
      points={points}
      picture={
        <>
          <Axes max={String(max)} points={points} />
          <Bars points={points} max={max} />
        </>
      }
    />
  );
}

export function ReplyTimeChart(props: { weeks: ReplyWeek[] }) {
  const hours = (ms: number) => ms / 3_600_000;
  const max = niceMax(Math.max(0, ...props.weeks.map((w) => (w.medianMs === null ? 0 : hours(w.medianMs)))));
  const points = props.weeks.map((w) => ({
    short: short(w.weekStart),
    label: `Week of ${full(w.weekStart)}`,
    value: w.medianMs === null ? null : hours(w.medianMs),
    text:
      w.medianMs === null
        ? `no answered questions${w.waiting > 0 ? ` (${w.waiting} waiting)` : ''}`
        : `${waitText(w.medianMs)} (${plural(w.answered, 'answered question', 'answered questions')}${w.waiting > 0 ? `, ${w.waiting} waiting` : ''})`,
  }));
  const answered = props.weeks.filter((w) => w.medianMs !== null);
  const latest = answered.at(-1);
  const desc = latest
    ? `Median time from a reader’s comment to your first reply, by the week the comment was written. Most recent week with answers: ${waitText(
        latest.medianMs as number,
      )} in the week of ${full(latest.weekStart)}.`
    : 'No reader’s comment in these weeks has had a reply yet.';
  return (
    <Figure
      id="chart-replies"
      title={`Median time to a first reply, last ${props.weeks.length} weeks`}
      desc={desc}
      columns={['Week (UTC, from Monday)', 'Median wait']}
      points={points}
      picture={
        <>
          <Axes max={`${max} h`} points={points} />
          <Bars points={points} max={max} />
        </>
      }
    />
  );
}

export function SubscribersChart(props: { weeks: WeekTotal[] }) {
  const max = niceMax(Math.max(0, ...props.weeks.map((w) => w.count)));
  const points = props.weeks.map((w) => ({
    short: short(w.weekStart),
    label: `Week of ${full(w.weekStart)}`,
    value: w.count,
    text: String(w.count),
  }));
  const n = points.length;
  const step = (PLOT.right - PLOT.left) / n;
  const y = (v: number) => PLOT.bottom - (v / max) * (PLOT.bottom - PLOT.top);
  const coords = props.weeks.map((w, i) => [PLOT.left + step * i + step / 2, y(w.count)] as const);
  const first = props.weeks[0];
  const last = props.weeks.at(-1);
  const desc =
    first && last ? `Confirmed newsletter subscribers: ${first.count} in the week of ${full(first.weekStart)}, ${last.count} now.` : '';
  return (
    <Figure
      id="chart-subscribers"
      title={`Newsletter subscribers, last ${props.weeks.length} weeks`}
      desc={desc}
      columns={['Week (UTC, from Monday)', 'Confirmed subscribers at its end']}
      points={points}
      picture={
        <>
          <Axes max={String(max)} points={points} />
          <polyline class="chart-line" points={coords.map(([x, yy]) => `${x.toFixed(1)},${yy.toFixed(1)}`).join(' ')} />
          {coords.map(([x, yy]) => (
            <circle class="chart-dot" cx={x.toFixed(1)} cy={yy.toFixed(1)} r="3.5" />
          ))}
        </>
      }
    />
  );
}

/** The most discussed posts: a list with a bar each, the numbers written out. */
export function MostDiscussed(props: { posts: DashboardFigures['mostDiscussed']; days: number }) {
  const max = Math.max(1, ...props.posts.map((p) => p.count));
  return (
    <section class="chart" aria-labelledby="top-posts-title">
      <h3 id="top-posts-title">Most discussed posts, last {props.days} days</h3>
      {props.posts.length === 0 ? (
        <p>No comments from readers in these days.</p>
      ) : (
        <ol class="chart-top">
          {props.posts.map((p) => (
            <li>
              <a href={`/${p.slug}/`}>{p.title}</a> <span class="chart-top-count">{plural(p.count, 'comment', 'comments')}</span>
              <svg class="chart-hbar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect width={((p.count / max) * 100).toFixed(1)} height="6" />
              </svg>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function DashboardCharts(props: { figures: DashboardFigures; inboxHref: string | undefined; days: number }) {
  const { figures } = props;
  const { awaiting } = figures;
  return (
    <section class="ws-section dashboard-charts" aria-labelledby="charts-title">
      <h2 id="charts-title">Your readers</h2>
      <p class="chart-awaiting">
        <span class="ws-count-value">{countText(awaiting)}</span>{' '}
        {props.inboxHref ? (
          <a href={props.inboxHref}>{awaiting === 1 ? 'thread awaits your reply' : 'threads await your reply'}</a>
        ) : awaiting === 1 ? (
          'thread awaits your reply'
        ) : (
          'threads await your reply'
        )}
      </p>
      <div class="chart-grid-list">
        <CommentsPerDayChart days={figures.commentsPerDay} />
        <ReplyTimeChart weeks={figures.replyTimes} />
        <MostDiscussed posts={figures.mostDiscussed} days={props.days} />
        {figures.subscribers ? <SubscribersChart weeks={figures.subscribers} /> : null}
      </div>
    </section>
  );
}
