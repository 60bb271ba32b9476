//! Human-readable text for headless commands (`inventory -o text`).

use crate::inventory::{CidrState, Inventory, SubnetKind, Vpc};
use std::fmt::Write;

/// A character that must not reach a terminal as itself: controls (but the newline and
/// the tab), and the invisible format characters that reorder or hide text (bidi
/// overrides and isolates, zero-width ones, the BOM).
pub fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `text` made to stay on one line of any file format (a YAML, HCL or shell comment, a
/// config file's value): every unsafe character and every line or paragraph break
/// (including YAML 1.1's NEL, LS and PS, which libyaml ends a line at) shown escaped,
/// `\u{a}`, so that a name from the account cannot end the comment it is written in.
pub fn one_line(text: &str) -> String {
    if !text
        .chars()
        .any(|c| unsafe_char(c) || c == '\n' || c == '\t')
    {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) || c == '\n' || c == '\t' {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// How output reaches the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// Text; with `color`, the colour codes the tool itself writes (SGR) pass.
    Text { color: bool },
    /// JSON (serde escapes controls; this escapes the format characters too).
    Json,
}

/// The mark that opens one of the tool's own colours: a C1 CSI (an unsafe character,
/// so one from a spec or AWS is escaped like any other) and a nonce drawn for this process,
/// which text from elsewhere cannot know. Only [`term`] in colour mode turns a mark into
/// the terminal's escape sequence (issue 27, 8).
fn mark() -> &'static str {
    static MARK: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARK.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let n = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        format!("\u{9b}{n:016x}")
    })
}

/// One of the tool's own colours (a Select Graphic Rendition code such as `1;31`, or `0`
/// to reset): shown by [`term`] in colour mode, dropped in monochrome.
pub fn sgr(code: &str) -> String {
    format!("{}{code}m", mark())
}

/// `text` made safe for a terminal: every unsafe character (from a spec, from AWS) shown
/// escaped, `\u{1b}`, instead of acting, in every mode alike. Every headless output goes
/// through here. The only escape sequences that reach the terminal are the tool's own
/// colours ([`sgr`]), in colour mode.
pub fn term(text: &str, mode: Term) -> String {
    if !text.chars().any(unsafe_char) {
        return text.to_string();
    }
    let mark = mark();
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !unsafe_char(c) {
            out.push(c);
            continue;
        }
        if c == '\u{9b}' && text[i..].starts_with(mark) && mode != Term::Json {
            let body = &text[i + mark.len()..];
            let n = body
                .find(|ch: char| !(ch.is_ascii_digit() || ch == ';'))
                .unwrap_or(body.len());
            if (1..=12).contains(&n) && body[n..].starts_with('m') {
                if mode == (Term::Text { color: true }) {
                    out.push_str("\u{1b}[");
                    out.push_str(&body[..=n]);
                }
                // Skip the mark, the code and the `m`.
                let end = i + mark.len() + n + 1;
                while chars.peek().is_some_and(|(j, _)| *j < end) {
                    chars.next();
                }
                continue;
            }
        }
        match mode {
            Term::Json => out.push_str(&format!("\\u{:04x}", c as u32)),
            Term::Text { .. } => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    out
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "OFF" }
}

/// The DHCP name servers in words: AmazonProvidedDNS, or the custom servers.
pub fn dhcp_summary(v: &Vpc) -> String {
    match &v.dhcp_options {
        None => "none".into(),
        Some(d) => {
            let servers = if d.domain_name_servers.is_empty() {
                "no name servers".to_string()
            } else {
                d.domain_name_servers.join(",")
            };
            match &d.domain_name {
                Some(dn) => format!("{servers}, domain {dn}"),
                None => servers,
            }
        }
    }
}

pub fn inventory_text(inv: &Inventory) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Region {} · account {} · {}",
        inv.region, inv.account, inv.caller_arn
    );
    let azs: Vec<String> = inv
        .availability_zones
        .iter()
        .map(|z| format!("{} ({})", z.name, z.zone_id))
        .collect();
    let _ = writeln!(o, "Availability zones: {}", azs.join(", "));
    let _ = writeln!(
        o,
        "VPCs: {} · clusters: {} · endpoint services: {}",
        inv.vpcs.len(),
        inv.clusters.len(),
        inv.endpoint_services.len()
    );
    match &inv.block_public_access {
        Some(b) if b.exclusions.is_empty() => {
            let _ = writeln!(o, "VPC Block Public Access: {}", b.mode);
        }
        Some(b) => {
            let ex: Vec<String> = b
                .exclusions
                .iter()
                .map(|e| format!("{} ({})", e.resource_id, e.mode))
                .collect();
            let _ = writeln!(
                o,
                "VPC Block Public Access: {}; excluded: {}",
                b.mode,
                ex.join(", ")
            );
        }
        None => {}
    }
    if let Some(op) = &inv.operator {
        let _ = writeln!(o, "This tool runs on: {}", op.describe());
    }
    for u in &inv.unread {
        let _ = writeln!(
            o,
            "Not read: {} ({}{}): {}",
            u.what,
            u.call,
            if u.access_denied { ", refused" } else { "" },
            u.reason
        );
    }
    for v in &inv.vpcs {
        vpc_text(&mut o, inv, v);
    }
    let orphans: Vec<_> = inv.clusters.iter().filter(|c| c.vpc_id.is_none()).collect();
    for c in orphans {
        let _ = writeln!(o, "\ncluster (VPC unknown) {}", cluster_line(c));
    }
    resolver_text(&mut o, &inv.resolver);
    o
}

/// One VPC: CIDRs, DNS, DHCP, subnets, NAT gateways, endpoints, peerings, clusters.
fn vpc_text(o: &mut String, inv: &Inventory, v: &crate::inventory::Vpc) {
    let cidrs: Vec<String> = v
        .cidrs
        .iter()
        .map(|c| {
            if c.state == CidrState::Associated {
                c.cidr.clone()
            } else {
                format!("{} ({})", c.cidr, c.state)
            }
        })
        .collect();
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "VPC {} {:?}{} {}",
        v.id,
        v.name,
        if v.is_default { " (default)" } else { "" },
        cidrs.join(", ")
    );
    let _ = writeln!(
        o,
        "  DNS support {}, DNS hostnames {}; DHCP: {}",
        on_off(v.dns_support),
        on_off(v.dns_hostnames),
        dhcp_summary(v)
    );
    let _ = writeln!(
        o,
        "  subnets: {} public, {} private, {} isolated",
        v.count_kind(SubnetKind::Public),
        v.count_kind(SubnetKind::Private),
        v.count_kind(SubnetKind::Isolated)
    );
    for s in &v.subnets {
        let rt = s.route_table_id.as_deref().unwrap_or("-");
        let _ = writeln!(
            o,
            "    {:<26} {:<20} {:<11} {:<18} {:>6} free  {:<8} {}{}",
            s.id,
            trunc(&s.name, 20),
            s.az,
            s.cidr,
            s.available_ips,
            s.kind.as_str(),
            rt,
            if s.main_route_table { " (main)" } else { "" }
        );
    }
    if !v.nat_gateways.is_empty() {
        let nats: Vec<String> = v
            .nat_gateways
            .iter()
            .map(|n| format!("{} in {} ({})", n.id, n.subnet_id, n.state))
            .collect();
        let _ = writeln!(o, "  NAT gateways: {}", nats.join(", "));
    }
    if v.endpoints.is_empty() {
        let _ = writeln!(o, "  endpoints: none");
    } else {
        let _ = writeln!(o, "  endpoints:");
        for e in &v.endpoints {
            let detail = if e.kind.eq_ignore_ascii_case("gateway") {
                format!("route tables {}", e.route_table_ids.join(","))
            } else {
                format!(
                    "subnets {}; private DNS {}",
                    e.subnet_ids.join(","),
                    on_off(e.private_dns)
                )
            };
            let _ = writeln!(
                o,
                "    {:<22} {:<9} {:<10} {} {}",
                e.service, e.kind, e.state, e.id, detail
            );
        }
    }
    for p in &v.peerings {
        let other = if p.requester_vpc_id == v.id {
            (&p.accepter_vpc_id, &p.accepter_cidrs)
        } else {
            (&p.requester_vpc_id, &p.requester_cidrs)
        };
        let _ = writeln!(
            o,
            "  peering {} ↔ {} {} ({})",
            p.id,
            other.0,
            other.1.join(","),
            p.status
        );
    }
    for c in inv.clusters_in(&v.id) {
        let _ = writeln!(o, "  cluster {}", cluster_line(c));
    }
}

/// Route 53 Resolver: its endpoints, rules and rule associations.
fn resolver_text(o: &mut String, r: &crate::inventory::Resolver) {
    let _ = writeln!(
        o,
        "\nRoute 53 Resolver: {} endpoints, {} rules, {} rule associations",
        r.endpoints.len(),
        r.rules.len(),
        r.rule_associations.len()
    );
    for e in &r.endpoints {
        let ips: Vec<&str> = e.ips.iter().map(|i| i.ip.as_str()).collect();
        let _ = writeln!(
            o,
            "  {} {:?} {} in {} ({}) IPs {}",
            e.id,
            e.name,
            e.direction,
            e.vpc_id,
            e.status,
            ips.join(",")
        );
    }
    for rule in &r.rules {
        let _ = writeln!(
            o,
            "  rule {} {} {:?} → {}",
            rule.id,
            rule.rule_type,
            rule.domain_name,
            rule.target_ips.join(",")
        );
    }
    for a in &r.rule_associations {
        let _ = writeln!(
            o,
            "  association {} {} ↔ {} ({})",
            a.id, a.rule_id, a.vpc_id, a.status
        );
    }
}

pub fn cluster_line(c: &crate::inventory::Cluster) -> String {
    let access = match (c.public_access, c.private_access) {
        (true, true) => "public+private endpoint",
        (true, false) => "public endpoint only",
        (false, true) => "private endpoint only",
        (false, false) => "no endpoint access",
    };
    let mut line = format!(
        "{} {} {} · {} · service CIDR {}",
        one_line(&c.name),
        c.version,
        c.status,
        access,
        c.service_cidr.as_deref().unwrap_or("-")
    );
    if c.auto_mode {
        line.push_str(" · EKS Auto Mode");
    }
    if c.ip_family == "ipv6" {
        line.push_str(" · IPv6");
    }
    if !c.remote_node_networks.is_empty() || !c.remote_pod_networks.is_empty() {
        let mut remote = c.remote_node_networks.clone();
        remote.extend(c.remote_pod_networks.iter().cloned());
        line.push_str(&format!(" · hybrid nodes from {}", remote.join(", ")));
    }
    if let Some(a) = c.addons.as_ref().filter(|a| !a.is_empty()) {
        line.push_str(&format!(" · add-ons {}", a.join(", ")));
    }
    if let Some(g) = c.node_groups.as_ref().filter(|g| !g.is_empty()) {
        let names: Vec<String> = g.iter().map(|g| one_line(&g.name)).collect();
        line.push_str(&format!(" · node groups {}", names.join(", ")));
    }
    if let Some(n) = c.nodes.as_ref().filter(|n| !n.is_empty()) {
        let s = if n.len() == 1 { "" } else { "s" };
        line.push_str(&format!(" · {} node{s}", n.len()));
    }
    line
}

/// `check` as text: grouped by severity, each finding with its ID, subject and fix.
pub fn findings_text(findings: &[crate::rules::Finding], color: bool) -> String {
    use crate::rules::Severity;
    let mut o = String::new();
    for (sev, sym, noun, ansi) in [
        (Severity::Error, "✗", "error", "1;31"),
        (Severity::Warn, "!", "warning", "1;33"),
        (Severity::Info, "i", "info", "36"),
    ] {
        let group: Vec<_> = findings.iter().filter(|f| f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        let (on, off) = if color {
            (sgr(ansi), sgr("0"))
        } else {
            (String::new(), String::new())
        };
        let plural = if group.len() == 1 || sev == Severity::Info {
            ""
        } else {
            "s"
        };
        let _ = writeln!(o, "{on}{sym} {} {noun}{plural}{off}", group.len());
        for f in group {
            // A finding is one row whatever the account's names hold (issue 27, 8).
            let _ = writeln!(
                o,
                "  {on}{:<3}{off} {}: {}",
                f.id,
                one_line(&f.subject),
                one_line(&f.message)
            );
            let _ = writeln!(o, "      fix: {}", one_line(&f.fix));
        }
        let _ = writeln!(o);
    }
    let (e, w, i) = crate::rules::summary(findings);
    let _ = writeln!(o, "Summary: {e} error(s), {w} warning(s), {i} info");
    o
}

/// `check -o json`: {"findings":[{id,severity,subject,message,fix,breaks}],
/// "summary":{error,warn,info}}; `breaks` is "today" or "without-egress" for the readiness
/// audit's findings (R1), null for the others.
pub fn findings_json(findings: &[crate::rules::Finding]) -> serde_json::Value {
    let (e, w, i) = crate::rules::summary(findings);
    serde_json::json!({
        "findings": findings.iter().map(|f| serde_json::json!({
            "id": f.id,
            "severity": f.severity,
            "subject": f.subject,
            "message": f.message,
            "fix": f.fix,
            "breaks": f.breaks.map(crate::rules::Breaks::as_str),
        })).collect::<Vec<_>>(),
        "summary": {"error": e, "warn": w, "info": i},
    })
}

/// `s` cut to `n` characters, the cut marked with `…`, and on one line ([`one_line`]):
/// for values in a row, a refusal or an error, which stay one line whatever the account
/// holds.
pub fn trunc(s: &str, n: usize) -> String {
    let t = one_line(s);
    if t.chars().count() <= n {
        return t;
    }
    let mut out: String = t.chars().take(n.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Error findings that block a plan (those the plan itself fixes, [`crate::plan::REMEDIES`],
/// do not).
pub fn blocking(findings: &[crate::rules::Finding]) -> Vec<crate::rules::Finding> {
    findings
        .iter()
        .filter(|f| f.severity == crate::rules::Severity::Error)
        .filter(|f| !crate::plan::REMEDIES.contains(&f.id))
        .cloned()
        .collect()
}

/// The lines above a plan: warnings (`!`) and the errors the plan fixes (`~`).
pub fn plan_notes(findings: &[crate::rules::Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity != crate::rules::Severity::Info)
        .map(|f| {
            let (sym, tail) = if f.severity == crate::rules::Severity::Error {
                ("~", " (fixed by this plan)")
            } else {
                ("!", "")
            };
            format!("{sym} {} {}: {}{tail}", f.id, f.subject, f.message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_for_the_terminal() {
        let evil = "prod\u{1b}]0;owned\u{7}\u{202e}txt.exe\0\r";
        let t = term(evil, Term::Text { color: false });
        assert_eq!(t, "prod\\u{1b}]0;owned\\u{7}\\u{202e}txt.exe\\u{0}\\u{d}");
        assert!(!t.chars().any(unsafe_char));
        // Our own colours pass when colour is on; nothing else does, not even an SGR
        // from the account, nor a mark without this process's nonce (issue 27, 8).
        let painted = format!(
            "{}✗ error{} \u{1b}[30;40mhidden \u{9b}0m",
            sgr("1;31"),
            sgr("0")
        );
        assert_eq!(
            term(&painted, Term::Text { color: true }),
            "\u{1b}[1;31m✗ error\u{1b}[0m \\u{1b}[30;40mhidden \\u{9b}0m"
        );
        assert_eq!(
            term(&painted, Term::Text { color: false }),
            "✗ error \\u{1b}[30;40mhidden \\u{9b}0m"
        );
        assert_eq!(trunc("a\nb", 10), "a\\u{a}b");
        assert_eq!(trunc(&"x".repeat(300), 8), "xxxxxxx…");
        // JSON: a valid escape inside a string.
        let j = term("\"a\u{202e}b\"", Term::Json);
        assert_eq!(serde_json::from_str::<String>(&j).unwrap(), "a\u{202e}b");
        assert!(!j.contains('\u{202e}'));
        // Newlines, tabs and ordinary Unicode stay.
        assert_eq!(term("a\tb\nçé ✓", Term::Json), "a\tb\nçé ✓");
    }

    #[test]
    fn the_optional_reads_are_shown_or_said_unread() {
        let mut inv = crate::rules::testkit::inventory();
        inv.clusters[0].addons = Some(vec!["coredns".into(), "vpc-cni".into()]);
        inv.block_public_access = Some(crate::inventory::BlockPublicAccess {
            mode: "block-bidirectional".into(),
            exclusions: vec![crate::inventory::BlockPublicAccessExclusion {
                id: "exclusion-1".into(),
                resource_id: "subnet-pub-a".into(),
                mode: "allow-egress".into(),
            }],
        });
        inv.clusters[0].auto_mode = true;
        inv.clusters[0].node_groups = Some(vec![crate::inventory::NodeGroup {
            name: "workers".into(),
            ..Default::default()
        }]);
        inv.clusters[0].nodes = Some(vec![Default::default(), Default::default()]);
        let t = inventory_text(&inv);
        assert!(t.contains("add-ons coredns, vpc-cni"), "{t}");
        assert!(
            t.contains("EKS Auto Mode") && t.contains("node groups workers · 2 nodes"),
            "{t}"
        );
        assert!(
            t.contains("VPC Block Public Access: block-bidirectional; excluded: subnet-pub-a (allow-egress)"),
            "{t}"
        );
        inv.block_public_access = None;
        inv.unread.push(crate::inventory::Unread {
            call: "ec2:DescribeVpcBlockPublicAccessOptions".into(),
            what: "VPC Block Public Access".into(),
            access_denied: true,
            reason: "You are not authorized to perform this operation.".into(),
        });
        let t = inventory_text(&inv);
        assert!(
            t.contains("Not read: VPC Block Public Access (ec2:DescribeVpcBlockPublicAccessOptions, refused)"),
            "{t}"
        );
    }
}
