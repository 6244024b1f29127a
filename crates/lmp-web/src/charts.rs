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
    // Let the page size it, keeping the drawing's proportions.
    svg.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMinYMin meet\" viewBox=\"0 0 720 {height}\" class=\"chart\" ", escape(title)), 1)
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
    fn thousands_are_grouped() {
        assert_eq!(thousands(134_000), "134,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
    }
}
