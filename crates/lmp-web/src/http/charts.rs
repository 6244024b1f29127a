//! Charts drawn on the server as SVG: people look at them, nothing to load.

use plotters::prelude::*;

/// A horizontal bar chart of `(label, value)`, largest first as given.
pub fn bar_chart(title: &str, bars: &[(String, i64)], colour: RGBColor) -> String {
    let height = 60 + 22 * bars.len().max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, height)).into_drawing_area();
        if draw_bars(&root, title, bars, colour).is_err() {
            // A chart that cannot draw leaves an empty picture, not a failed page.
            return String::new();
        }
        let _ = root.present();
    }
    sized(svg, title, 720, height)
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    bars: &[(String, i64)],
    colour: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(230)
        .build_cartesian_2d(0i64..max + max / 10 + 1, (0..bars.len().max(1)).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(bars.len().max(1))
        // Row 0 is drawn at the bottom; put the first bar at the top.
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < bars.len() => labels[bars.len() - 1 - i].clone(),
            _ => String::new(),
        })
        .x_label_formatter(&|v| thousands(*v))
        .label_style(("sans-serif", 12))
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
    let (width, height) = (720u32, 300u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        if draw_run_chart(&root, chart).is_err() {
            return String::new();
        }
        let _ = root.present();
    }
    sized(svg, chart.title, width, height)
}

fn draw_run_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &RunChart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
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
        .caption(chart.title, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(56)
        // Room on the right for the legend, clear of the latest points.
        .build_cartesian_2d(0i64..last_day + last_day / 5 + 1, (low - pad)..(high + pad))?;
    plot.configure_mesh()
        .light_line_style(RGBColor(242, 242, 242))
        .x_labels(6)
        .x_label_formatter(&|d| (chart.day_label)(*d))
        .y_desc(chart.unit)
        .label_style(("sans-serif", 11))
        .draw()?;
    if let Some(median) = chart.median {
        plot.draw_series(DashedLineSeries::new(
            [(0, median), (last_day, median)],
            6,
            4,
            RGBColor(120, 120, 120).stroke_width(1),
        ))?
        .label(format!("median {median:.1}"))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], RGBColor(120, 120, 120)));
    }
    if let Some(target) = chart.target {
        plot.draw_series(LineSeries::new(
            [(0, target), (last_day, target)],
            TARGET_COLOUR.stroke_width(2),
        ))?
        .label(format!("target {target}"))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], TARGET_COLOUR));
    }
    for (day, label) in chart.annotations {
        plot.draw_series(std::iter::once(PathElement::new(
            [(*day, low - pad), (*day, high + pad)],
            RGBColor(180, 180, 200).stroke_width(1),
        )))?;
        plot.draw_series(std::iter::once(Text::new(
            label.clone(),
            (*day, high + pad * 0.6),
            ("sans-serif", 11).into_font().color(&RGBColor(90, 90, 120)),
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
    if chart.median.is_some() || chart.target.is_some() {
        plot.configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.8))
            .border_style(RGBColor(200, 200, 200))
            .label_font(("sans-serif", 11))
            .draw()?;
    }
    Ok(())
}

/// A step line of levels over months: the Path to Performance history.
pub fn level_history(title: &str, months: &[(String, i64)]) -> String {
    let (width, height) = (720u32, 220u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let drawn = (|| -> Result<(), DrawingAreaErrorKind<_>> {
            root.fill(&WHITE)?;
            let mut plot = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(28)
                .y_label_area_size(40)
                .build_cartesian_2d(0usize..months.len().max(1), 0i64..6)?;
            plot.configure_mesh()
                .x_labels(8)
                .x_label_formatter(&|i| months.get(*i).map(|m| m.0.clone()).unwrap_or_default())
                .y_labels(6)
                .y_label_formatter(&|l| {
                    if (1..=5).contains(l) {
                        format!("L{l}")
                    } else {
                        String::new()
                    }
                })
                .label_style(("sans-serif", 11))
                .draw()?;
            let steps = months
                .iter()
                .enumerate()
                .flat_map(|(i, (_, level))| [(i, *level), (i + 1, *level)]);
            plot.draw_series(LineSeries::new(steps, LINE_COLOUR.stroke_width(2)))?;
            Ok(())
        })();
        if drawn.is_err() {
            return String::new();
        }
        let _ = root.present();
    }
    sized(svg, title, width, height)
}

/// Let the page size an SVG, keeping its proportions, and name it for
/// screen readers.
fn sized(svg: String, title: &str, width: u32, height: u32) -> String {
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMinYMin meet\" viewBox=\"0 0 {width} {height}\" class=\"chart\" ",
            escape(title)
        ),
        1,
    )
}

/// 134000 → "134,000".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
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

/// Lines over labelled periods (quarters, say), with a legend.
pub fn series_chart(title: &str, periods: &[String], series: &[Series]) -> String {
    let (width, height) = (720u32, 260u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let max = series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0_f64, |a, b| a.max(*b))
            .max(1.0);
        let drawn = (|| -> Result<(), DrawingAreaErrorKind<_>> {
            root.fill(&WHITE)?;
            let mut plot = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(28)
                .y_label_area_size(48)
                .build_cartesian_2d(0usize..periods.len().max(1), 0.0..max * 1.1)?;
            plot.configure_mesh()
                .x_labels(periods.len().clamp(1, 8))
                .x_label_formatter(&|i| periods.get(*i).cloned().unwrap_or_default())
                .y_labels(5)
                .label_style(("sans-serif", 11))
                .draw()?;
            for s in series {
                // Gaps stay gaps: a line joins only periods that have a value.
                let points: Vec<(usize, f64)> = s
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| (i, v)))
                    .collect();
                let colour = s.colour;
                plot.draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(2)))?
                    .label(s.name.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2)));
                plot.draw_series(points.iter().map(|p| Circle::new(*p, 3, colour.filled())))?;
            }
            plot.configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .label_font(("sans-serif", 11))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()?;
            Ok(())
        })();
        if drawn.is_err() {
            return String::new();
        }
        let _ = root.present();
    }
    sized(svg, title, width, height)
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
    periods: &[String],
    by_period: &[&std::collections::BTreeMap<String, Option<u64>>],
) -> String {
    let series: Vec<Series> = lmp_core::body::BodyLevel::ALL
        .iter()
        .filter(|level| by_period.iter().any(|p| p.contains_key(level.as_str())))
        .map(|level| Series {
            name: level.label().to_string(),
            colour: level_colour(*level),
            values: by_period
                .iter()
                .map(|p| p.get(level.as_str()).copied().flatten().map(|v| v as f64))
                .collect(),
        })
        .collect();
    series_chart(title, periods, &series)
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
        assert!(svg.starts_with("<svg "));
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
        assert!(svg.starts_with("<svg "), "{svg}");
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
    fn thousands_are_grouped() {
        assert_eq!(thousands(134_000), "134,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
    }
}
