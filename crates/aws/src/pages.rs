//! Every paginated read ends (issue 27, 3): a `NextToken` seen before in the same listing
//! (a loop, which no real listing makes), or more pages than any account fills, stops it
//! with one error that names the call, instead of calling on for good.

use super::{AwsError, ErrorKind};
use std::collections::HashSet;

/// More pages than any listing of one region has: 2 000 pages are 2 million items at the
/// 1 000 a page EC2 gives, and 200 000 at the 100 of its smallest page.
pub const MAX_PAGES: usize = 2_000;

/// The pages of one listing read so far.
pub struct Pages {
    service: &'static str,
    op: &'static str,
    seen: HashSet<String>,
    pages: usize,
}

impl Pages {
    pub fn new(service: &'static str, op: &'static str) -> Self {
        Pages {
            service,
            op,
            seen: HashSet::new(),
            pages: 0,
        }
    }

    /// After a page: the token of the next one, None when the listing is complete, or the
    /// error that ends a listing that loops or never ends.
    pub fn next(&mut self, token: Option<&str>) -> Result<Option<String>, AwsError> {
        self.pages += 1;
        let Some(t) = token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if !self.seen.insert(t.to_string()) {
            return Err(AwsError::new(
                ErrorKind::Service,
                self.service,
                self.op,
                format!(
                    "the listing came back to a page it had given already (NextToken repeated after {} pages)",
                    self.pages
                ),
                "AWS (or what answers for it: an endpoint URL, a proxy) pages in a loop; nothing was changed — try again, and check --endpoint-url or the proxy",
            ));
        }
        if self.pages >= MAX_PAGES {
            return Err(AwsError::new(
                ErrorKind::Service,
                self.service,
                self.op,
                format!("the listing did not end after {MAX_PAGES} pages"),
                "no account has that many; what answers for AWS (an endpoint URL, a proxy) pages without end — nothing was changed",
            ));
        }
        Ok(Some(t.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_ends_at_a_repeated_token_and_at_the_page_limit() {
        let mut p = Pages::new("ec2", "DescribeSubnets");
        assert_eq!(p.next(Some("a")).unwrap(), Some("a".into()));
        assert_eq!(p.next(Some("b")).unwrap(), Some("b".into()));
        let e = p.next(Some("a")).unwrap_err();
        assert!(
            e.to_string().contains("NextToken repeated after 3 pages"),
            "{e}"
        );
        assert!(e.to_string().contains("[ec2 DescribeSubnets]"), "{e}");
        let mut p = Pages::new("ec2", "DescribeVpcs");
        assert_eq!(p.next(None).unwrap(), None);
        assert_eq!(p.next(Some("")).unwrap(), None);
        let mut p = Pages::new("ec2", "DescribeVpcs");
        let mut n = 0;
        let e = loop {
            n += 1;
            match p.next(Some(&n.to_string())) {
                Ok(_) => continue,
                Err(e) => break e,
            }
        };
        assert_eq!(n, MAX_PAGES);
        assert!(e.to_string().contains("did not end"), "{e}");
    }
}
