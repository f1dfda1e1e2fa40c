//! Code frames: the lines around an error, with a caret under its column.

/// Up to two lines either side of `line`, numbered, with a caret under `column`.
pub fn code_frame(source: &str, line: u32, column: u32) -> Option<String> {
    code_frame_numbered(source, line, column, 1)
}

/// As [`code_frame`], for source whose first line is line `first` of its
/// file: the frame numbers lines as the file does.
pub fn code_frame_numbered(
    source: &str,
    line: u32,
    column: u32,
    first_line: u32,
) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let target = usize::try_from(line).ok()?.checked_sub(1)?;
    if target >= lines.len() {
        return None;
    }
    let first = target.saturating_sub(2);
    let last = (target + 2).min(lines.len() - 1);
    let offset = first_line.saturating_sub(1) as usize;
    let width = (last + 1 + offset).to_string().len();
    let mut frame = String::new();
    for (i, text) in lines.iter().enumerate().take(last + 1).skip(first) {
        let marker = if i == target { '>' } else { ' ' };
        frame.push_str(&format!("{marker} {:>width$} | {text}\n", i + 1 + offset));
        if i == target {
            let pad = " ".repeat(column.saturating_sub(1) as usize);
            frame.push_str(&format!("  {:>width$} | {pad}^\n", ""));
        }
    }
    Some(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_frame_points_at_the_column() {
        let frame = code_frame("a\nbb\nccc\ndd\ne\nf", 3, 2).expect("frame");
        assert!(frame.contains("> 3 | ccc\n"), "{frame}");
        assert!(frame.contains("  |  ^\n"), "{frame}");
        assert!(frame.contains("  1 | a"), "{frame}");
        assert!(!frame.contains("| f"), "{frame}");
    }

    #[test]
    fn code_frame_out_of_range_is_none() {
        assert_eq!(code_frame("a", 5, 1), None);
        assert_eq!(code_frame("a", 0, 1), None);
    }
}
