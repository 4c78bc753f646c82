//! Attachments of an application (申报附件): PDF files, kept with their SHA-256 so that what
//! was submitted can be proven later (一次报送: the submission records the digests).

use crate::Invalid;
use sha2::{Digest, Sha256};

/// The largest attachment accepted, in bytes (20 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// What an attachment is for; decided by the application's stage when it is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    /// 申报材料: uploaded with the application, frozen at submission.
    Application,
    /// 执行材料: milestone evidence and progress reports during execution.
    Execution,
    /// 验收材料: the acceptance report and its evidence.
    Acceptance,
}

impl AttachmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::Application => "application",
            AttachmentKind::Execution => "execution",
            AttachmentKind::Acceptance => "acceptance",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AttachmentKind::Application => "申报材料",
            AttachmentKind::Execution => "执行材料",
            AttachmentKind::Acceptance => "验收材料",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "application" => Some(AttachmentKind::Application),
            "execution" => Some(AttachmentKind::Execution),
            "acceptance" => Some(AttachmentKind::Acceptance),
            _ => None,
        }
    }

    /// The kind an upload gets at an application status, or `None` when nothing may be
    /// uploaded then (submitted and under review: the submission is frozen).
    pub fn for_status(status: &str) -> Option<Self> {
        match status {
            "draft" | "returned" => Some(AttachmentKind::Application),
            "contracted" | "in_progress" | "mid_term" => Some(AttachmentKind::Execution),
            "acceptance" => Some(AttachmentKind::Acceptance),
            _ => None,
        }
    }
}

/// A checked PDF upload: its file name (the last path component, trimmed), size and digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPdf {
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: usize,
}

/// Check an upload as a PDF attachment: a `.pdf` name, not empty, at most
/// [`MAX_ATTACHMENT_BYTES`], the `%PDF-` header within the first 1024 bytes and `%%EOF` within
/// the last 1024 (ISO 32000 §7.5.2, §7.5.5; readers accept that much slack). Every problem is
/// reported at once.
pub fn check_pdf(file_name: &str, bytes: &[u8]) -> Result<CheckedPdf, Invalid> {
    let mut errors = Vec::new();
    let name = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(crate::FieldError::new(
            "file",
            "attachment.name",
            "文件名不能为空，且不超过200个字符",
        ));
    } else if let Some(e) = crate::text::check_name("file", "文件名", &name) {
        errors.push(e);
    } else if !name.to_lowercase().ends_with(".pdf") {
        errors.push(crate::FieldError::new(
            "file",
            "attachment.not_pdf",
            format!("“{name}”不是PDF文件：附件须为PDF格式（.pdf）"),
        ));
    }
    if bytes.is_empty() {
        errors.push(crate::FieldError::new(
            "file",
            "attachment.empty",
            "文件为空",
        ));
    } else if bytes.len() > MAX_ATTACHMENT_BYTES {
        errors.push(crate::FieldError::new(
            "file",
            "attachment.too_large",
            format!(
                "文件大小{:.1} MB，超过上限{} MB",
                bytes.len() as f64 / 1_048_576.0,
                MAX_ATTACHMENT_BYTES / 1_048_576
            ),
        ));
    } else {
        let head = &bytes[..bytes.len().min(1024)];
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        if !has(head, b"%PDF-") || !has(tail, b"%%EOF") {
            errors.push(crate::FieldError::new(
                "file",
                "attachment.not_pdf",
                "文件内容不是完整的PDF（缺少PDF文件头或结束标记），请重新导出后上传",
            ));
        } else if [
            &b"/JavaScript"[..],
            b"/JS",
            b"/Launch",
            b"/EmbeddedFile",
            b"/RichMedia",
        ]
        .iter()
        .any(|k| has(bytes, k))
        {
            // Active content runs in the reviewer's reader: an application's PDF is read, not run.
            errors.push(crate::FieldError::new(
                "file",
                "attachment.active_content",
                "PDF中含有脚本、启动程序或嵌入文件等可执行内容，不能上传；请另存为普通PDF（如“打印为PDF”）后上传",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Invalid(errors));
    }
    Ok(CheckedPdf {
        file_name: name,
        sha256: hex::encode(Sha256::digest(bytes)),
        size_bytes: bytes.len(),
    })
}

/// A checked evidence file of a service log: a photo (JPEG, PNG) or a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEvidence {
    pub file_name: String,
    pub content_type: &'static str,
    pub sha256: String,
}

/// Check an upload as a service log's evidence: JPEG or PNG by its signature, or a PDF as
/// [`check_pdf`] checks it; at most `max` bytes.
pub fn check_evidence(
    file_name: &str,
    bytes: &[u8],
    max: usize,
) -> Result<CheckedEvidence, Invalid> {
    let name = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    if bytes.len() > max {
        return Err(Invalid::one(
            "file",
            "attachment.too_large",
            format!(
                "文件大小{:.1} MB，超过上限{} MB",
                bytes.len() as f64 / 1_048_576.0,
                max / 1_048_576
            ),
        ));
    }
    if bytes.is_empty() {
        return Err(Invalid::one("file", "attachment.empty", "文件为空"));
    }
    if let Some(e) = crate::text::check_name("file", "文件名", &name) {
        return Err(Invalid(vec![e]));
    }
    let content_type = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        "image/png"
    } else if bytes.starts_with(b"%PDF-") {
        let pdf = check_pdf(&name, bytes)?;
        return Ok(CheckedEvidence {
            file_name: pdf.file_name,
            content_type: "application/pdf",
            sha256: pdf.sha256,
        });
    } else {
        return Err(Invalid::one(
            "file",
            "evidence.type",
            format!("“{name}”不是照片（JPEG、PNG）或PDF文件，佐证材料只接受这三种格式"),
        ));
    };
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Invalid::one(
            "file",
            "attachment.name",
            "文件名不能为空，且不超过200个字符",
        ));
    }
    Ok(CheckedEvidence {
        file_name: name,
        content_type,
        sha256: hex::encode(Sha256::digest(bytes)),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn active_content_and_disguised_names_are_refused() {
        let js = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n";
        let e = check_pdf("可研.pdf", js).unwrap_err();
        assert_eq!(e.0[0].code, "attachment.active_content");
        let e = check_pdf("报告\u{202E}fdp.pdf", b"%PDF-1.4\n%%EOF\n").unwrap_err();
        assert_eq!(e.0[0].code, "file.invisible_char");
        assert!(check_pdf("报告.pdf", b"%PDF-1.4\n%%EOF\n").is_ok());
    }

    fn pdf(body: &str) -> Vec<u8> {
        format!("%PDF-1.7\n{body}\n%%EOF\n").into_bytes()
    }

    #[test]
    fn a_pdf_is_accepted_with_its_digest_and_base_name() {
        let bytes = pdf("1 0 obj << >> endobj");
        let c = check_pdf("C:\\材料\\可行性报告.PDF", &bytes).unwrap();
        assert_eq!(c.file_name, "可行性报告.PDF");
        assert_eq!(c.size_bytes, bytes.len());
        assert_eq!(c.sha256, hex::encode(Sha256::digest(&bytes)));
        assert_eq!(c.sha256.len(), 64);
    }

    #[test]
    fn not_a_pdf_empty_and_truncated_files_are_refused_with_codes() {
        let codes = |name: &str, b: &[u8]| -> Vec<String> {
            check_pdf(name, b)
                .unwrap_err()
                .0
                .iter()
                .map(|e| e.code.clone())
                .collect()
        };
        assert_eq!(codes("a.docx", &pdf("x")), ["attachment.not_pdf"]);
        assert_eq!(codes("a.pdf", b""), ["attachment.empty"]);
        assert_eq!(codes("a.pdf", b"PK\x03\x04 zip"), ["attachment.not_pdf"]);
        // A download cut short has the header but no end marker.
        assert_eq!(codes("a.pdf", b"%PDF-1.4\n1 0 obj"), ["attachment.not_pdf"]);
        assert_eq!(
            codes("", b""),
            ["attachment.name", "attachment.empty"],
            "every problem at once"
        );
        let big = vec![b' '; MAX_ATTACHMENT_BYTES + 1];
        assert_eq!(codes("a.pdf", &big), ["attachment.too_large"]);
    }

    #[test]
    fn upload_kinds_follow_the_stage() {
        assert_eq!(
            AttachmentKind::for_status("draft"),
            Some(AttachmentKind::Application)
        );
        assert_eq!(AttachmentKind::for_status("submitted"), None);
        assert_eq!(AttachmentKind::for_status("panel"), None);
        assert_eq!(
            AttachmentKind::for_status("in_progress"),
            Some(AttachmentKind::Execution)
        );
        assert_eq!(
            AttachmentKind::for_status("acceptance"),
            Some(AttachmentKind::Acceptance)
        );
        assert_eq!(AttachmentKind::for_status("closed"), None);
        for k in [
            AttachmentKind::Application,
            AttachmentKind::Execution,
            AttachmentKind::Acceptance,
        ] {
            assert_eq!(AttachmentKind::parse(k.as_str()), Some(k));
        }
    }
}
