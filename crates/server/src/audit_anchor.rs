//! Audit checkpoints kept outside the database (等保三级: 审计记录的保护).
//!
//! The hash chain proves that the records the database holds were not edited, but its head
//! lives in the same database: whoever can write the database can delete the newest records
//! and rewrite `audit_head`, and the chain still verifies. So the server appends the head
//! `(seq, hash)` to a file outside the database every minute, each line signed with HMAC-SHA256
//! under a key derived from the deployment secret (which is never stored in the database);
//! `kechuang audit verify` and `GET /audit/verify` check every line's signature and the newest
//! line against the chain (which implies the older ones). A cut tail, a rewritten chain or a
//! forged line each fail.

use hmac::{Hmac, KeyInit, Mac};
use kechuang_store::Store;
use kechuang_store::audit::AuditVerification;
use sha2::Sha256;
use std::io::Write;
use std::path::Path;

/// One checkpoint: the chain had `seq` records ending in `hash` at `at` (epoch ms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    pub at: i64,
}

fn hmac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length; the fallback is unreachable.
    <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| {
        <Hmac<Sha256> as KeyInit>::new_from_slice(b"kechuang").unwrap_or_else(|_| unreachable!())
    })
}

fn mac(secret: &[u8], a: &Anchor) -> String {
    // A key of its own, so an anchor's MAC never doubles as an identity-number hash.
    let mut k = hmac(secret);
    k.update(b"kechuang-audit-anchor-key");
    let mut m = hmac(&k.finalize().into_bytes());
    m.update(format!("{}|{}|{}", a.seq, a.hash, a.at).as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// The line for an anchor: `seq hash at mac`, tab-separated.
pub fn line(secret: &[u8], a: &Anchor) -> String {
    format!("{}\t{}\t{}\t{}\n", a.seq, a.hash, a.at, mac(secret, a))
}

/// Append one anchor and flush it to disk.
pub fn append(path: &Path, secret: &[u8], a: &Anchor) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(line(secret, a).as_bytes())?;
    f.sync_data()
}

/// The anchors of a file, in order; a line that does not parse or whose signature does not
/// match is an error naming the line.
pub fn read(path: &Path, secret: &[u8]) -> Result<Vec<Anchor>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("无法读取外部锚点文件 {}：{e}", path.display())),
    };
    let mut out = Vec::new();
    for (i, l) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let f: Vec<&str> = l.split('\t').collect();
        let parsed = match f.as_slice() {
            [seq, hash, at, m] => seq.parse().ok().zip(at.parse().ok()).map(|(seq, at)| {
                (
                    Anchor {
                        seq,
                        hash: (*hash).to_owned(),
                        at,
                    },
                    *m,
                )
            }),
            _ => None,
        };
        let Some((a, m)) = parsed else {
            return Err(format!("外部锚点文件第 {} 行格式错误", i + 1));
        };
        if mac(secret, &a) != m {
            return Err(format!(
                "外部锚点文件第 {} 行签名不符（锚点被伪造或密钥不同）",
                i + 1
            ));
        }
        out.push(a);
    }
    Ok(out)
}

/// Append the chain's head unless the newest anchor already holds it. `last` is the newest
/// anchor this process knows: `None` reads it from the file once, so a server anchoring every
/// minute does not re-read a file that grows for ever. Returns the anchor written.
pub async fn anchor_now(
    store: &Store,
    path: &Path,
    secret: &[u8],
    last: &mut Option<Anchor>,
) -> Result<Option<Anchor>, String> {
    let (seq, hash) = store
        .audit_head()
        .await
        .map_err(|e| format!("无法读取审计链头：{e}"))?;
    if last.is_none() {
        *last = read(path, secret)?.pop();
    }
    if seq == 0
        || last
            .as_ref()
            .is_some_and(|l| l.seq == seq && l.hash == hash)
    {
        return Ok(None);
    }
    let a = Anchor {
        seq,
        hash,
        at: chrono::Utc::now().timestamp_millis(),
    };
    append(path, secret, &a)
        .map_err(|e| format!("无法写入外部锚点文件 {}：{e}", path.display()))?;
    *last = Some(a.clone());
    Ok(Some(a))
}

/// The chain's own verification, then the anchors: every line's signature, and the newest
/// anchor against the chain. Checking the newest suffices: each record's hash commits to every
/// record before it, so a chain that verifies and still holds the newest anchored hash holds
/// every earlier one too. Returns the verification (failed if the anchors do not hold) and the
/// anchors read.
pub async fn verify(
    store: &Store,
    path: Option<&Path>,
    secret: &[u8],
) -> Result<(AuditVerification, Vec<Anchor>), kechuang_store::StoreError> {
    let mut v = store.verify_audit().await?;
    let Some(path) = path.filter(|_| v.ok) else {
        return Ok((v, Vec::new()));
    };
    let mut fail = |seq: i64, why: String| {
        v.ok = false;
        v.first_bad_seq = Some(seq);
        v.reason = Some(why);
    };
    let anchors = match read(path, secret) {
        Ok(a) => a,
        Err(why) => {
            fail(0, why);
            return Ok((v, Vec::new()));
        }
    };
    if let Some(a) = anchors.last() {
        let (head, _) = store.audit_head().await?;
        if a.seq > head {
            fail(
                head + 1,
                format!(
                    "日志尾部被截断：外部锚点记录链中已有第 {} 条，数据库链头只到第 {head} 条",
                    a.seq
                ),
            );
        } else if store.audit_hash_at(a.seq).await?.as_deref() != Some(a.hash.as_str()) {
            fail(
                a.seq,
                format!("第 {} 条记录与外部锚点不符（审计链被改写）", a.seq),
            );
        }
    }
    Ok((v, anchors))
}
