//! Charts drawn on the server as SVG: people look at them, nothing to load.
//!
//! Every chart is drawn [`WIDTH`] wide, and the page never shows one
//! narrower (a narrow screen scrolls it), so its words stay at the size they
//! are drawn, never under 11 px. Legends sit below the plot, where
//! they cannot cover a point.

use crate::http::i18n::tr_with;
use lmp_core::money::Cents;
use plotters::prelude::*;

/// The width every chart is drawn at, and the least the page shows it at.
pub const WIDTH: u32 = 520;
/// Axis labels, legends and notes. Plotters writes a font of size `n` as
/// `font-size` n / 1.24: 14 is drawn at 11.3 px.
const LABEL: u32 = 14;
const CAPTION: u32 = 18;

fn label_font() -> TextStyle<'static> {
    ("sans-serif", LABEL).into_font().color(&RGBColor(50, 60, 70))
}

/// How a chart's value axis reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// 1,250.
    Count,
    /// 40 %.
    Percent,
    /// Values in dollars, read as $1.5 M.
    Dollars,
}

impl Axis {
    pub fn label(self, value: f64) -> String {
        match self {
            Axis::Count if value.fract().abs() < 1e-9 => thousands(value as i64),
            Axis::Count => format!("{value:.1}"),
            Axis::Percent => format!("{} %", value.round() as i64),
            Axis::Dollars => Cents((value * 100.0).round() as i64).short_dollars(),
        }
    }
}

/// One entry of a legend: a line of this colour, dashed or not, and its name.
struct Key {
    name: String,
    colour: RGBColor,
    dashed: bool,
}

/// A solid line's key for each (name, colour).
fn solid_keys<'a>(lines: impl Iterator<Item = (&'a String, RGBColor)>) -> Vec<Key> {
    lines
        .map(|(name, colour)| Key {
            name: name.clone(),
            colour,
            dashed: false,
        })
        .collect()
}

/// Where each key goes, in rows across the chart's width, and the height
/// the rows take.
fn legend_layout(keys: &[Key]) -> (Vec<(i32, i32)>, u32) {
    let (mut x, mut y) = (10_i32, 6_i32);
    let mut places = Vec::with_capacity(keys.len());
    for key in keys {
        // A label's width, generously: half the font size a character.
        let width = 26 + (key.name.chars().count() as i32 * LABEL as i32) / 2 + 14;
        if x > 10 && x + width > WIDTH as i32 - 10 {
            x = 10;
            y += LABEL as i32 + 8;
        }
        places.push((x, y));
        x += width;
    }
    let height = if keys.is_empty() {
        0
    } else {
        (y + LABEL as i32 + 10) as u32
    };
    (places, height)
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    keys: &[Key],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (places, _) = legend_layout(keys);
    for (key, (x, y)) in keys.iter().zip(places) {
        let mid = y + LABEL as i32 / 2;
        let style = key.colour.stroke_width(2);
        if key.dashed {
            area.draw(&PathElement::new([(x, mid), (x + 8, mid)], style))?;
            area.draw(&PathElement::new([(x + 12, mid), (x + 20, mid)], style))?;
        } else {
            area.draw(&PathElement::new([(x, mid), (x + 20, mid)], style))?;
        }
        area.draw(&Text::new(key.name.clone(), (x + 26, y), label_font()))?;
    }
    Ok(())
}

/// Draws `chart` into an SVG `height` tall, plus the legend's rows below it.
fn svg_of<F>(title: &str, height: u32, keys: &[Key], draw: F) -> String
where
    F: FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), DrawingAreaErrorKind<std::io::Error>>,
{
    let (_, legend) = legend_layout(keys);
    let total = height + legend;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, total)).into_drawing_area();
        let drawn = (|| {
            root.fill(&WHITE)?;
            let (plot, below) = root.split_vertically(height);
            draw(&plot)?;
            draw_legend(&below, keys)
        })();
        if drawn.is_err() {
            // A chart that cannot draw leaves an empty picture, not a failed page.
            return String::new();
        }
        let _ = root.present();
    }
    sized(svg, title, WIDTH, total)
}

/// A horizontal bar chart of `(label, value)`, largest first as given.
pub fn bar_chart(title: &str, bars: &[(String, i64)], colour: RGBColor) -> String {
    let height = 64 + 24 * bars.len().max(1) as u32;
    svg_of(title, height, &[], |root| draw_bars(root, title, bars, colour))
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    bars: &[(String, i64)],
    colour: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", CAPTION))
        .margin(8)
        .x_label_area_size(26)
        .y_label_area_size(190)
        .build_cartesian_2d(0i64..max + max / 10 + 1, (0..bars.len().max(1)).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(bars.len().max(1))
        .x_labels(5)
        // Row 0 is drawn at the bottom; put the first bar at the top.
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < bars.len() => labels[bars.len() - 1 - i].clone(),
            _ => String::new(),
        })
        .x_label_formatter(&|v| thousands(*v))
        .label_style(label_font())
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, value))| {
        let i = bars.len() - 1 - i;
        Rectangle::new(
            [(0, SegmentValue::Exact(i)), (*value, SegmentValue::Exact(i + 1))],
            colour.filled(),
        )
    }))?;
    Ok(())
}

/// A point of a run chart and whether a signal covers it.
pub struct RunPoint {
    /// Days since the chart's first point.
    pub day: i64,
    pub value: f64,
    pub signal: Option<lmp_core::run_chart::SignalKind>,
}

/// What a run chart shows besides its points.
pub struct RunChart<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    pub points: &'a [RunPoint],
    pub median: Option<f64>,
    pub target: Option<f64>,
    /// (day, label) for each test of change, drawn as a marker on the axis.
    pub annotations: &'a [(i64, String)],
    /// Turns a day number back into a label for the axis.
    pub day_label: &'a dyn Fn(i64) -> String,
}

const SIGNAL_COLOUR: RGBColor = RGBColor(192, 86, 33);
const TARGET_COLOUR: RGBColor = RGBColor(47, 133, 90);
const LINE_COLOUR: RGBColor = RGBColor(33, 97, 140);

/// A run chart: the data over time, its median, the target, each test of
/// change marked where it started, and the points that make a signal
/// (shift, trend, astronomical point) drawn larger in another colour.
pub fn run_chart(chart: &RunChart) -> String {
    let mut keys = Vec::new();
    if let Some(median) = chart.median {
        keys.push(Key {
            name: tr_with("chart-median", &[("value", format!("{median:.1}"))]),
            colour: MEDIAN_COLOUR,
            dashed: true,
        });
    }
    if let Some(target) = chart.target {
        keys.push(Key {
            name: tr_with("chart-target", &[("value", target.to_string())]),
            colour: TARGET_COLOUR,
            dashed: false,
        });
    }
    svg_of(chart.title, 290, &keys, |root| draw_run_chart(root, chart))
}

const MEDIAN_COLOUR: RGBColor = RGBColor(120, 120, 120);

fn draw_run_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &RunChart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let values = chart
        .points
        .iter()
        .map(|p| p.value)
        .chain(chart.target)
        .chain(chart.median);
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (low, high) = if low > high { (0.0, 1.0) } else { (low, high) };
    let pad = ((high - low) * 0.12).max(0.5);
    let last_day = chart
        .points
        .iter()
        .map(|p| p.day)
        .chain(chart.annotations.iter().map(|a| a.0))
        .max()
        .unwrap_or(1)
        .max(1);
    let mut plot = ChartBuilder::on(root)
        .caption(chart.title, ("sans-serif", CAPTION))
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d(0i64..last_day + last_day / 30 + 1, (low - pad)..(high + pad))?;
    plot.configure_mesh()
        .light_line_style(RGBColor(242, 242, 242))
        .x_labels(5)
        .x_label_formatter(&|d| (chart.day_label)(*d))
        .y_desc(chart.unit)
        .label_style(label_font())
        .axis_desc_style(label_font())
        .draw()?;
    if let Some(median) = chart.median {
        plot.draw_series(DashedLineSeries::new(
            [(0, median), (last_day, median)],
            6,
            4,
            MEDIAN_COLOUR.stroke_width(1),
        ))?;
    }
    if let Some(target) = chart.target {
        plot.draw_series(LineSeries::new(
            [(0, target), (last_day, target)],
            TARGET_COLOUR.stroke_width(2),
        ))?;
    }
    for (day, label) in chart.annotations {
        plot.draw_series(std::iter::once(PathElement::new(
            [(*day, low - pad), (*day, high + pad)],
            RGBColor(180, 180, 200).stroke_width(1),
        )))?;
        plot.draw_series(std::iter::once(Text::new(
            label.clone(),
            (*day, high + pad * 0.6),
            label_font().color(&RGBColor(80, 80, 110)),
        )))?;
    }
    plot.draw_series(LineSeries::new(
        chart.points.iter().map(|p| (p.day, p.value)),
        LINE_COLOUR.stroke_width(2),
    ))?;
    plot.draw_series(chart.points.iter().map(|p| {
        let (size, colour) = match p.signal {
            Some(_) => (5, SIGNAL_COLOUR),
            None => (3, LINE_COLOUR),
        };
        Circle::new((p.day, p.value), size, colour.filled())
    }))?;
    Ok(())
}

/// A step line of levels over months: the Path to Performance history.
pub fn level_history(title: &str, months: &[(String, i64)]) -> String {
    svg_of(title, 220, &[], |root| {
        let mut plot = ChartBuilder::on(root)
            .caption(title, ("sans-serif", CAPTION))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(40)
            .build_cartesian_2d(0usize..months.len().max(1), 0i64..6)?;
        plot.configure_mesh()
            .x_labels(5)
            .x_label_formatter(&|i| months.get(*i).map(|m| m.0.clone()).unwrap_or_default())
            .y_labels(6)
            .y_label_formatter(&|l| {
                if (1..=5).contains(l) {
                    format!("L{l}")
                } else {
                    String::new()
                }
            })
            .label_style(label_font())
            .draw()?;
        let steps = months
            .iter()
            .enumerate()
            .flat_map(|(i, (_, level))| [(i, *level), (i + 1, *level)]);
        plot.draw_series(LineSeries::new(steps, LINE_COLOUR.stroke_width(2)))?;
        Ok(())
    })
}

/// Let the page size an SVG, keeping its proportions, and name it for
/// screen readers; in a frame of its own that scrolls on a narrow screen,
/// wherever a page puts it.
fn sized(svg: String, title: &str, width: u32, height: u32) -> String {
    let svg = svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMinYMin meet\" viewBox=\"0 0 {width} {height}\" class=\"chart\" ",
            escape(title)
        ),
        1,
    );
    format!("<div class=\"chart-frame\">{svg}</div>")
}

/// 134000 → "134,000".
pub fn thousands(n: i64) -> String {
    let digits = lmp_core::money::group_thousands(n.unsigned_abs());
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One line of a chart over time: its name, colour and a value per period
/// (`None` where there is nothing to show).
pub struct Series {
    pub name: String,
    pub colour: RGBColor,
    pub values: Vec<Option<f64>>,
}

/// The periods a chart runs over.
pub struct Periods<'a> {
    pub labels: &'a [String],
    /// The last period has not ended: its figures are so far, and the chart
    /// says so rather than show a fall that is only time not yet passed.
    pub last_is_partial: bool,
}

const PARTIAL_SHADE: RGBColor = RGBColor(236, 240, 244);

/// Lines over labelled periods (quarters, say), with a legend below.
pub fn series_chart(title: &str, periods: &Periods, axis: Axis, series: &[Series]) -> String {
    let keys = solid_keys(series.iter().map(|s| (&s.name, s.colour)));
    let labels = periods.labels;
    let count = labels.len().max(1);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0_f64, |a, b| a.max(*b))
        .max(1.0);
    svg_of(title, 240, &keys, |root| {
        let mut plot = ChartBuilder::on(root)
            .caption(title, ("sans-serif", CAPTION))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(62)
            .build_cartesian_2d((0..count).into_segmented(), 0.0..max * 1.15)?;
        let last = labels.len().wrapping_sub(1);
        plot.configure_mesh()
            .disable_x_mesh()
            .x_labels(count.min(8))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i == last && periods.last_is_partial => {
                    tr_with("chart-so-far", &[("period", labels[*i].clone())])
                }
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(5)
            .y_label_formatter(&|v| axis.label(*v))
            .label_style(label_font())
            .draw()?;
        if periods.last_is_partial && !labels.is_empty() {
            // The running period shaded, its points drawn hollow.
            plot.draw_series(std::iter::once(Rectangle::new(
                [
                    (SegmentValue::Exact(last), 0.0),
                    (SegmentValue::Exact(last + 1), max * 1.15),
                ],
                PARTIAL_SHADE.filled(),
            )))?;
        }
        for s in series {
            // Gaps stay gaps: a line joins only periods that have a value.
            let points: Vec<(usize, f64)> = s
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i, v)))
                .collect();
            let colour = s.colour;
            plot.draw_series(LineSeries::new(
                points.iter().map(|(i, v)| (SegmentValue::CenterOf(*i), *v)),
                colour.stroke_width(2),
            ))?;
            plot.draw_series(points.iter().map(|(i, v)| {
                let style = if periods.last_is_partial && *i == last {
                    colour.stroke_width(2)
                } else {
                    colour.filled()
                };
                Circle::new((SegmentValue::CenterOf(*i), *v), 3, style)
            }))?;
        }
        Ok(())
    })
}

/// A point with its interval, if it has one.
#[derive(Debug, Clone, Copy)]
pub struct Estimate {
    pub value: f64,
    pub interval: Option<(f64, f64)>,
}

/// One line of estimates: its name, colour and a point per label (`None`
/// where there is none).
pub struct EstimateSeries {
    pub name: String,
    pub colour: RGBColor,
    pub points: Vec<Option<Estimate>>,
}

/// Estimates over labelled periods, each with its interval drawn as a
/// whisker; several lines sit side by side so their whiskers never hide
/// one another. `zero_line` draws the line of no difference.
pub fn estimate_chart(
    title: &str,
    labels: &[String],
    axis: Axis,
    series: &[EstimateSeries],
    zero_line: bool,
) -> String {
    let keys = solid_keys(series.iter().map(|s| (&s.name, s.colour)));
    let ends = series
        .iter()
        .flat_map(|s| s.points.iter().flatten())
        .flat_map(|p| [Some(p.value), p.interval.map(|i| i.0), p.interval.map(|i| i.1)])
        .flatten();
    let (mut low, mut high) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !low.is_finite() {
        return String::new();
    }
    if zero_line || low >= 0.0 {
        low = low.min(0.0);
        high = high.max(0.0);
    }
    let pad = ((high - low) * 0.08).max(1e-9);
    let (low, high) = (low - pad, high + pad);
    let count = labels.len().max(1);
    let width = 0.6 / series.len().max(1) as f64;
    svg_of(title, 260, &keys, |root| {
        let mut plot = ChartBuilder::on(root)
            .caption(title, ("sans-serif", CAPTION))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(62)
            .build_cartesian_2d(-0.5..count as f64 - 0.5, low..high)?;
        plot.configure_mesh()
            .disable_x_mesh()
            .x_labels(count.min(12))
            .x_label_formatter(&|v| {
                let i = v.round();
                if (v - i).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_labels(6)
            .y_label_formatter(&|v| axis.label(*v))
            .label_style(label_font())
            .draw()?;
        if zero_line {
            plot.draw_series(std::iter::once(PathElement::new(
                [(-0.5, 0.0), (count as f64 - 0.5, 0.0)],
                RGBColor(120, 120, 120).stroke_width(1),
            )))?;
        }
        for (n, s) in series.iter().enumerate() {
            let shift = (n as f64 - (series.len() as f64 - 1.0) / 2.0) * width;
            let colour = s.colour;
            let at: Vec<(f64, Estimate)> = s
                .points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.map(|p| (i as f64 + shift, p)))
                .collect();
            plot.draw_series(at.iter().filter_map(|(x, p)| {
                p.interval
                    .map(|(lo, hi)| PathElement::new([(*x, lo), (*x, hi)], colour.stroke_width(2)))
            }))?;
            plot.draw_series(at.iter().map(|(x, p)| Circle::new((*x, p.value), 4, colour.filled())))?;
        }
        Ok(())
    })
}

/// The colour of each level's line, the same on every chart.
fn level_colour(level: lmp_core::body::BodyLevel) -> RGBColor {
    use lmp_core::body::BodyLevel::*;
    match level {
        National => RGBColor(40, 40, 40),
        Regional => RGBColor(120, 60, 160),
        Facility => RGBColor(47, 133, 90),
        Department => RGBColor(200, 150, 20),
        Team => RGBColor(33, 97, 140),
    }
}

/// A percent per level over periods, a line for each level that has any:
/// `by_period[i]` maps a level's word to its percent in period `i`.
pub fn level_lines(
    title: &str,
    periods: &Periods,
    by_period: &[&std::collections::BTreeMap<String, Option<u64>>],
) -> String {
    let series: Vec<Series> = lmp_core::body::BodyLevel::ALL
        .iter()
        .filter(|level| by_period.iter().any(|p| p.contains_key(level.as_str())))
        .map(|level| Series {
            name: level.label_in(crate::http::i18n::current()).to_string(),
            colour: level_colour(*level),
            values: by_period
                .iter()
                .map(|p| p.get(level.as_str()).copied().flatten().map(|v| v as f64))
                .collect(),
        })
        .collect();
    series_chart(title, periods, Axis::Percent, &series)
}

/// Labor and management drawn in the same weight, each its own colour.
pub const LABOR: RGBColor = RGBColor(192, 86, 33);
pub const MANAGEMENT: RGBColor = RGBColor(33, 97, 140);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_svg_with_its_labels() {
        let svg = bar_chart(
            "Locals <by> members",
            &[("Local 1".into(), 4_000), ("Local 2".into(), 2_500)],
            RGBColor(40, 90, 160),
        );
        assert!(svg.starts_with("<div class=\"chart-frame\"><svg "));
        assert!(svg.contains("Local 1"));
        assert!(svg.contains("aria-label=\"Locals &lt;by&gt; members\""));
    }

    #[test]
    fn a_run_chart_marks_its_median_target_tests_and_signals() {
        let points: Vec<RunPoint> = (0..8)
            .map(|i| RunPoint {
                day: i * 7,
                value: 40.0 - i as f64,
                signal: (i > 2).then_some(lmp_core::run_chart::SignalKind::Trend),
            })
            .collect();
        let svg = run_chart(&RunChart {
            title: "Door-to-room time",
            unit: "minutes",
            points: &points,
            median: Some(36.5),
            target: Some(30.0),
            annotations: &[(14, "T1".into())],
            day_label: &|d| format!("day {d}"),
        });
        assert!(svg.contains("<svg "), "{svg}");
        assert!(svg.contains("median 36.5"));
        assert!(svg.contains("target 30"));
        assert!(svg.contains("\nT1\n"), "each test of change is labelled");
        assert!(
            svg.contains("#C05621") || svg.contains("#c05621"),
            "signal points are drawn in their colour"
        );
        let history = level_history("Level by month", &[("2026-01".into(), 2), ("2026-02".into(), 3)]);
        assert!(history.contains("L3"));
    }

    #[test]
    fn axes_read_as_people_write_figures() {
        assert_eq!(Axis::Count.label(1250.0), "1,250");
        assert_eq!(Axis::Count.label(2.5), "2.5");
        assert_eq!(Axis::Percent.label(40.2), "40 %");
        assert_eq!(Axis::Dollars.label(1_500_000.0), "$1.5 M");
    }

    #[test]
    fn a_running_period_is_marked_and_the_legend_sits_below_the_plot() {
        let labels = vec!["2026 Q3".to_string(), "2026 Q4".to_string()];
        let line = |name: &str| Series {
            name: name.into(),
            colour: LABOR,
            values: vec![Some(1_500_000.0), Some(700_000.0)],
        };
        let periods = Periods {
            labels: &labels,
            last_is_partial: true,
        };
        let names = [
            "From workers' wages",
            "From the employer",
            "Remitted (both shares)",
            "Fourth",
        ];
        let series: Vec<Series> = names.iter().map(|n| line(n)).collect();
        let svg = series_chart("Money", &periods, Axis::Dollars, &series);
        assert!(svg.contains("2026 Q4 so far"), "{svg}");
        assert!(svg.contains("$1 M"), "{svg}");
        // Four keys need two rows at this width: the chart grows to hold them.
        let (places, height) = legend_layout(&names.map(|n| Key {
            name: n.into(),
            colour: LABOR,
            dashed: false,
        }));
        assert!(places.iter().any(|p| p.1 > places[0].1), "{places:?}");
        assert!(height >= 2 * LABEL);
        assert!(
            svg.contains(&format!("viewBox=\"0 0 {WIDTH} {}\"", 240 + height)),
            "{svg}"
        );
        let unfinished = series_chart(
            "Money",
            &Periods {
                labels: &labels,
                last_is_partial: false,
            },
            Axis::Dollars,
            &series,
        );
        assert!(!unfinished.contains("so far"));
    }

    #[test]
    fn estimates_are_drawn_with_their_intervals_beside_a_zero_line() {
        let labels: Vec<String> = ["-4", "-1", "0", "+1"].iter().map(|l| l.to_string()).collect();
        let point = |value: f64| {
            Some(Estimate {
                value,
                interval: Some((value - 0.5, value + 0.5)),
            })
        };
        let series = [EstimateSeries {
            name: "Teams that moved up".into(),
            colour: LABOR,
            points: vec![point(0.1), None, point(-0.8), point(-0.9)],
        }];
        let svg = estimate_chart("Quarters from the move", &labels, Axis::Count, &series, true);
        assert!(svg.contains("Teams that moved up"), "{svg}");
        assert!(svg.contains("+1"), "{svg}");
        assert!(estimate_chart("Nothing", &labels, Axis::Count, &[], true).is_empty());
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(134_000), "134,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
    }
}
