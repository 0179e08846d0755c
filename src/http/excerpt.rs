//! A vendor's answer body as one short line for an error message: a
//! proxy's HTML error page (a 502 from a load balancer) or a body cut short
//! would otherwise be pasted over several lines, markup and all.

use std::sync::OnceLock;

use regex::Regex;

/// `text` on one line of at most `max_chars` characters (then `…`): an HTML
/// page's markup, scripts and styles removed, whitespace collapsed. The
/// caller redacts (before and after: removing markup can join the parts of
/// a secret).
pub fn one_line(text: &str, max_chars: usize) -> String {
    static MARKUP: OnceLock<Regex> = OnceLock::new();
    let text = if text.trim_start().starts_with('<') {
        let markup = MARKUP.get_or_init(|| {
            Regex::new(r"(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>")
                .expect("markup pattern is valid")
        });
        markup.replace_all(text, " ")
    } else {
        text.into()
    };
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_html_page_is_its_text_on_one_line() {
        let page = "<html>\r\n<head><title>502 Bad Gateway</title>\
                    <style>body { color: red }</style></head>\r\n<body>\r\n\
                    <center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
        assert_eq!(one_line(page, 200), "502 Bad Gateway 502 Bad Gateway");
    }

    #[test]
    fn other_text_keeps_its_characters_and_is_cut() {
        assert_eq!(one_line("{\"a\":\n  1 < 2}", 200), "{\"a\": 1 < 2}");
        assert_eq!(one_line(&"é".repeat(10), 4), "éééé…");
        assert_eq!(one_line("abcd", 4), "abcd");
        assert_eq!(one_line(" \r\n", 4), "");
    }
}
