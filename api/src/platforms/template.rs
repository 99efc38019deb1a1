//! The manifest's URL templates: `{name}` placeholders and `[...]` sections kept only when
//! every placeholder inside them has a value.

/// Renders `template`, asking `value` for each placeholder.
pub fn render<'a>(template: &str, value: &impl Fn(&str) -> Option<&'a str>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('[') {
        out.push_str(&fill(&rest[..start], value).0);
        let Some(end) = rest[start..].find(']') else {
            // An unclosed section is kept as text (the catalog test forbids it anyway).
            rest = &rest[start..];
            break;
        };
        if let (section, true) = fill(&rest[start + 1..start + end], value) {
            out.push_str(&section);
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(&fill(rest, value).0);
    out
}

/// Fills the placeholders of `text` (a missing value leaves nothing) and says whether every
/// one had a value.
fn fill<'a>(text: &str, value: &impl Fn(&str) -> Option<&'a str>) -> (String, bool) {
    let mut out = String::new();
    let mut complete = true;
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            rest = &rest[start..];
            break;
        };
        match value(&rest[start + 1..start + end]) {
            Some(filled) => out.push_str(filled),
            None => complete = false,
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    (out, complete)
}

/// The placeholder names a template uses (the catalog test checks them).
#[cfg(test)]
pub fn placeholders(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_sections_need_every_value() {
        let values = |name: &str| match name {
            "id" => Some("76979871"),
            "hash" => Some("abc123"),
            _ => None,
        };
        let without_hash = |name: &str| (name == "id").then_some("76979871");
        let template = "https://vimeo.com/{id}[/{hash}]";
        assert_eq!(
            render(template, &values),
            "https://vimeo.com/76979871/abc123"
        );
        assert_eq!(
            render(template, &without_hash),
            "https://vimeo.com/76979871"
        );
        assert_eq!(placeholders(template), ["id", "hash"]);
    }
}
