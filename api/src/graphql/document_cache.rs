//! Parsed documents, kept by their text. Clients send the same few documents over and over
//! (every voice event is one `voiceEvent` mutation with new variables), so parsing each one
//! again is wasted work on the hot path.
//!
//! Only the parse is kept: a document's text alone decides it. Validation still runs on every
//! request, because its result depends on the variables (a `first: $n` counts in the
//! complexity), and so do execution and every permission check, against the request's own
//! variables and viewer. A document is kept only once it parsed and passed the depth and
//! directive limits, so a cached one has passed them too.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{ServerResult, Variables};
use lru::LruCache;

/// Distinct documents kept; the clients' whole set is a few dozen.
const CAPACITY: usize = 512;
/// Longer documents are parsed each time: they are rare, and not worth the memory.
const MAX_TEXT: usize = 16 * 1024;

/// Install with `SchemaBuilder::extension(DocumentCache::default())`.
#[derive(Clone)]
pub struct DocumentCache {
    documents: Arc<Mutex<LruCache<Arc<str>, Arc<ExecutableDocument>>>>,
}

impl Default for DocumentCache {
    fn default() -> Self {
        DocumentCache {
            documents: Arc::new(Mutex::new(LruCache::new(
                NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN),
            ))),
        }
    }
}

impl DocumentCache {
    fn get(&self, text: &str) -> Option<Arc<ExecutableDocument>> {
        self.documents.lock().ok()?.get(text).cloned()
    }

    fn keep(&self, text: &str, document: &ExecutableDocument) {
        if text.len() <= MAX_TEXT
            && let Ok(mut documents) = self.documents.lock()
        {
            documents.put(Arc::from(text), Arc::new(document.clone()));
        }
    }

    /// The kind of operation a socket's `subscribe` runs, read from the kept document when
    /// there is one (every message after a document's first), so a socket does not parse its
    /// text once to choose how to run it and again to run it. A document that does not parse
    /// runs as a query, which answers the parse error.
    pub fn operation_type(&self, query: &str, operation_name: Option<&str>) -> OperationType {
        match self.get(query) {
            Some(document) => kind_of(&document, operation_name),
            None => async_graphql::parser::parse_query(query)
                .map_or(OperationType::Query, |document| {
                    kind_of(&document, operation_name)
                }),
        }
    }

    /// How many documents are kept.
    pub fn len(&self) -> usize {
        self.documents.lock().map_or(0, |documents| documents.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The kind of the named operation, or of the first when no name is given.
fn kind_of(document: &ExecutableDocument, operation_name: Option<&str>) -> OperationType {
    let operation = match operation_name {
        Some(name) => document
            .operations
            .iter()
            .find(|(op_name, _)| op_name.is_some_and(|n| n.as_str() == name))
            .map(|(_, op)| op),
        None => document.operations.iter().next().map(|(_, op)| op),
    };
    operation.map_or(OperationType::Query, |op| op.node.ty)
}

impl ExtensionFactory for DocumentCache {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(self.clone())
    }
}

#[async_trait::async_trait]
impl Extension for DocumentCache {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        if let Some(document) = self.get(query) {
            metrics::counter!("lossy_graphql_documents_total", "parse" => "cached").increment(1);
            return Ok(ExecutableDocument::clone(&document));
        }
        let document = next.run(ctx, query, variables).await?;
        metrics::counter!("lossy_graphql_documents_total", "parse" => "parsed").increment(1);
        self.keep(query, &document);
        Ok(document)
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{Context, EmptyMutation, EmptySubscription, Object, Request, Schema};

    use super::*;

    /// Who asks, as the server's viewer would be.
    struct Caller {
        name: &'static str,
        admin: bool,
    }

    struct Query;

    #[Object]
    impl Query {
        async fn greeting(&self, ctx: &Context<'_>, punctuation: String) -> String {
            format!("hello {}{punctuation}", ctx.data_unchecked::<Caller>().name)
        }

        async fn secret(&self, ctx: &Context<'_>) -> async_graphql::Result<&'static str> {
            if ctx.data_unchecked::<Caller>().admin {
                Ok("the admin's secret")
            } else {
                Err("admins only".into())
            }
        }
    }

    fn schema(cache: &DocumentCache) -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::build(Query, EmptyMutation, EmptySubscription)
            .extension(cache.clone())
            .finish()
    }

    async fn ask(
        schema: &Schema<Query, EmptyMutation, EmptySubscription>,
        query: &str,
        variables: serde_json::Value,
        caller: Caller,
    ) -> serde_json::Value {
        let request = Request::new(query)
            .variables(Variables::from_json(variables))
            .data(caller);
        serde_json::to_value(schema.execute(request).await).unwrap()
    }

    #[tokio::test]
    async fn a_kept_document_runs_with_each_requests_own_variables_and_caller() {
        let cache = DocumentCache::default();
        let schema = schema(&cache);
        let query = "query($p: String!) { greeting(punctuation: $p) secret }";
        let alice = Caller {
            name: "alice",
            admin: true,
        };
        let first = ask(&schema, query, serde_json::json!({ "p": "!" }), alice).await;
        assert_eq!(first["data"]["greeting"], "hello alice!");
        assert_eq!(first["data"]["secret"], "the admin's secret");
        assert_eq!(cache.len(), 1);

        // The same text from someone else, with other variables: parsed once, answered anew.
        let bob = Caller {
            name: "bob",
            admin: false,
        };
        let second = ask(&schema, query, serde_json::json!({ "p": "?" }), bob).await;
        assert_eq!(second["data"]["greeting"], "hello bob?");
        assert_eq!(second["errors"][0]["message"], "admins only", "{second}");
        assert_eq!(cache.len(), 1, "the same text is one document");

        // Variables are still checked against the kept document's definitions.
        let carol = Caller {
            name: "carol",
            admin: true,
        };
        let wrong = ask(&schema, query, serde_json::json!({ "p": 3 }), carol).await;
        assert!(wrong["data"].is_null(), "{wrong}");
        assert!(!wrong["errors"].as_array().unwrap().is_empty());
    }

    #[tokio::test]
    async fn documents_that_do_not_parse_or_are_too_long_are_not_kept() {
        let cache = DocumentCache::default();
        let schema = schema(&cache);
        let caller = || Caller {
            name: "dave",
            admin: false,
        };
        let broken = ask(&schema, "{ greeting(", serde_json::json!({}), caller()).await;
        assert!(!broken["errors"].as_array().unwrap().is_empty());
        let padding = " ".repeat(MAX_TEXT);
        let long = format!("{{ greeting(punctuation: \".\") {padding}}}");
        let answer = ask(&schema, &long, serde_json::json!({}), caller()).await;
        assert_eq!(answer["data"]["greeting"], "hello dave.");
        assert!(cache.is_empty());
    }

    #[tokio::test]
    async fn an_operations_kind_is_the_same_from_a_kept_document_and_from_its_text() {
        let cache = DocumentCache::default();
        let schema = schema(&cache);
        let three = "mutation Save { greeting(punctuation: \"!\") } \
                     subscription Watch { greeting(punctuation: \"?\") } \
                     query Ask { greeting(punctuation: \".\") }";
        let kinds = |cache: &DocumentCache| {
            [Some("Save"), Some("Watch"), Some("Ask"), Some("Missing")]
                .map(|name| cache.operation_type(three, name))
        };
        use OperationType::{Mutation, Query as Q, Subscription};
        let expected = [Mutation, Subscription, Q, Q];
        assert_eq!(kinds(&cache), expected);
        // Once run, the document is kept (it parsed; this schema has no mutations, so it does
        // not validate, which is decided after the parse), and answers the same.
        let request = Request::new(three).operation_name("Ask").data(Caller {
            name: "erin",
            admin: false,
        });
        schema.execute(request).await;
        assert_eq!(cache.len(), 1);
        assert_eq!(kinds(&cache), expected);
        // A document of one operation needs no name.
        let one = "subscription { greeting(punctuation: \"!\") }";
        assert_eq!(cache.operation_type(one, None), Subscription);
        // Text that does not parse runs as a query, which answers the parse error.
        assert_eq!(cache.operation_type("mutation {", None), Q);
    }
}
