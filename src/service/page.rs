//! Pages of a list, as the seed's API numbers them: `page` from 1, `limit`
//! up to 100, and whether a next page has more.

/// The most items one page holds.
pub const MAX_PAGE_LIMIT: u32 = 100;
/// The deepest page: with [`MAX_PAGE_LIMIT`], lists reach 10,000 items in
/// (narrow the list with a filter to reach further), so that no request walks
/// a tenant's whole table.
pub const MAX_PAGE: u32 = 100;
/// Items per page when the caller does not say.
pub const DEFAULT_PAGE_LIMIT: u32 = 20;

/// A page and a page size, both within bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    limit: u32,
}

impl PageRequest {
    /// Page `page` (default 1) of `limit` items (default 20), or which of the
    /// two is out of bounds.
    ///
    /// ```
    /// use msgcore::service::PageRequest;
    ///
    /// let request = PageRequest::new(Some(3), Some(10))?;
    /// assert_eq!(request.offset(), 20);
    /// assert!(PageRequest::new(Some(101), None).is_err());
    /// # Ok::<(), msgcore::service::PageError>(())
    /// ```
    pub fn new(page: Option<u32>, limit: Option<u32>) -> Result<PageRequest, PageError> {
        let page = page.unwrap_or(1);
        let limit = limit.unwrap_or(DEFAULT_PAGE_LIMIT);
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(PageError::Page { page });
        }
        if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
            return Err(PageError::Limit { limit });
        }
        Ok(PageRequest { page, limit })
    }

    /// The page number, from 1.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// Items per page.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// How many items come before this page.
    pub fn offset(&self) -> usize {
        ((self.page - 1) * self.limit) as usize
    }

    /// How many items to read from the start of the list to fill this page
    /// and know whether another follows.
    pub fn reach(&self) -> usize {
        self.offset() + self.limit as usize + 1
    }

    /// This page of `items`, the list read from its start (at most
    /// [`reach`](Self::reach) of them).
    pub fn cut<T>(&self, items: Vec<T>) -> Page<T> {
        let has_more = items.len() >= self.reach();
        let items = items
            .into_iter()
            .skip(self.offset())
            .take(self.limit as usize)
            .collect();
        Page {
            items,
            page: self.page,
            limit: self.limit,
            has_more,
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The page number, from 1.
    pub page: u32,
    /// The page size asked for.
    pub limit: u32,
    /// Whether a next page has items.
    pub has_more: bool,
}

/// A page or page size out of bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The page is 0 or deeper than [`MAX_PAGE`].
    #[error("page is 1 to 100, got {page}; narrow the list with a filter to go deeper")]
    Page {
        /// The page asked for.
        page: u32,
    },
    /// The page size is 0 or over [`MAX_PAGE_LIMIT`].
    #[error("limit is 1 to 100, got {limit}")]
    Limit {
        /// The size asked for.
        limit: u32,
    },
}

impl From<PageError> for crate::error::Error {
    fn from(error: PageError) -> Self {
        crate::error::Error::Request(error.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn pages_cut_from_one_list_are_its_items_in_order_without_gaps(
            len in 0_usize..400,
            limit in 1_u32..=MAX_PAGE_LIMIT,
        ) {
            let list: Vec<usize> = (0..len).collect();
            let mut joined = Vec::new();
            for page in 1..=MAX_PAGE {
                let request = PageRequest::new(Some(page), Some(limit)).unwrap();
                let read: Vec<usize> = list.iter().copied().take(request.reach()).collect();
                let cut = request.cut(read);
                joined.extend(cut.items);
                if !cut.has_more {
                    break;
                }
            }
            let reachable = len.min((MAX_PAGE * limit) as usize);
            prop_assert_eq!(joined, list[..reachable].to_vec());
        }
    }

    #[test]
    fn a_page_past_the_end_is_empty_with_nothing_more() {
        let request = PageRequest::new(Some(4), Some(10)).unwrap();
        let cut = request.cut((0..25).collect::<Vec<_>>());
        assert_eq!(cut.items, Vec::<i32>::new());
        assert!(!cut.has_more);
    }

    #[test]
    fn zero_or_too_deep_pages_and_sizes_are_refused_naming_which() {
        assert_eq!(
            PageRequest::new(Some(0), None),
            Err(PageError::Page { page: 0 })
        );
        assert_eq!(
            PageRequest::new(Some(101), None),
            Err(PageError::Page { page: 101 })
        );
        assert_eq!(
            PageRequest::new(None, Some(0)),
            Err(PageError::Limit { limit: 0 })
        );
        assert_eq!(
            PageRequest::new(None, Some(101)),
            Err(PageError::Limit { limit: 101 })
        );
        assert_eq!(PageRequest::new(None, None).unwrap().limit(), 20);
    }
}
