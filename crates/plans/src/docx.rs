//! `.docx` reading: `word/document.xml` from the zip, paragraphs (`<w:p>`) joined with `\n`,
//! text from `<w:t>`, `<w:tab/>` as a tab, `<w:br/>` as a line break. A tiny tag scanner, no
//! XML library.

use std::io::Read;

use crate::Error;

/// Reads the text of a `.docx` file: one line per paragraph.
pub fn read_docx(bytes: &[u8]) -> Result<String, Error> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Error::Docx(e.to_string()))?;
    let mut file = archive
        .by_name("word/document.xml")
        .map_err(|_| Error::MissingDocumentXml)?;
    let mut xml = String::new();
    file.read_to_string(&mut xml)
        .map_err(|e| Error::Docx(e.to_string()))?;
    Ok(document_xml_text(&xml))
}

/// Extracts paragraph text from WordprocessingML.
pub fn document_xml_text(xml: &str) -> String {
    let mut out = String::new();
    let mut in_text = false;
    let mut in_paragraph = false;
    let mut rest = xml;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let Some(close) = rest.find('>') else { break };
                let tag = &rest[1..close];
                let name = tag
                    .trim_start_matches('/')
                    .split([' ', '/', '\t', '\n', '\r'])
                    .next()
                    .unwrap_or("");
                let closing = tag.starts_with('/');
                let self_closing = tag.ends_with('/');
                match name {
                    "w:p" if closing => {
                        out.push('\n');
                        in_paragraph = false;
                    }
                    "w:p" if !self_closing => in_paragraph = true,
                    "w:p" => out.push('\n'),
                    "w:t" => in_text = !closing && !self_closing,
                    "w:tab" if in_paragraph => out.push('\t'),
                    "w:br" | "w:cr" if in_paragraph => out.push('\n'),
                    _ => {}
                }
                rest = &rest[close + 1..];
            }
            Some(n) => {
                if in_text {
                    out.push_str(&unescape(&rest[..n]));
                }
                rest = &rest[n..];
            }
            None => {
                if in_text {
                    out.push_str(&unescape(rest));
                }
                break;
            }
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let Some(semi) = rest.find(';') else { break };
        let ent = &rest[1..semi];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_paragraphs() {
        let xml = r#"<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>到2025年,</w:t></w:r><w:r><w:t xml:space="preserve">高企达到150家</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>A&amp;B&#x4E00;</w:t><w:tab/><w:t>x</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(document_xml_text(xml), "到2025年,高企达到150家\n\nA&B一\tx");
    }
}
