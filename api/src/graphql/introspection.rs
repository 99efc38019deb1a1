//! Refusing introspection when `LOSSY_INTROSPECTION` is off. async-graphql's own switch
//! answers `__schema` and `__type` with a silent `null`; clients deserve an error that says
//! why, so documents selecting them are refused as a validation failure.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensions, Pos, ServerError, ServerResult, Variables};

use super::error_codes::VALIDATION_FAILED;

pub struct IntrospectionDisabled;

impl ExtensionFactory for IntrospectionDisabled {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(IntrospectionDisabled)
    }
}

#[async_trait::async_trait]
impl Extension for IntrospectionDisabled {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        match introspection_field(&document) {
            None => Ok(document),
            Some(pos) => {
                let mut error =
                    ServerError::new("introspection is disabled on this server", Some(pos));
                error.extensions = async_graphql::Error::new("")
                    .extend_with(|_, ext| ext.set("code", VALIDATION_FAILED))
                    .extensions;
                Err(error)
            }
        }
    }
}

/// Where the document selects `__schema` or `__type` (they only exist on the query root, so
/// only root selections and the fragments they spread are searched).
fn introspection_field(document: &ExecutableDocument) -> Option<Pos> {
    let mut visited = HashSet::new();
    document
        .operations
        .iter()
        .find_map(|(_, op)| find_in(&op.node.selection_set.node, document, &mut visited))
}

fn find_in<'a>(
    set: &'a SelectionSet,
    document: &'a ExecutableDocument,
    visited: &mut HashSet<&'a str>,
) -> Option<Pos> {
    set.items
        .iter()
        .find_map(|selection| match &selection.node {
            Selection::Field(field) => {
                let name = field.node.name.node.as_str();
                (name == "__schema" || name == "__type").then_some(field.pos)
            }
            Selection::InlineFragment(fragment) => {
                find_in(&fragment.node.selection_set.node, document, visited)
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                if !visited.insert(name) {
                    return None;
                }
                let fragment = document.fragments.get(&spread.node.fragment_name.node)?;
                find_in(&fragment.node.selection_set.node, document, visited)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(query: &str) -> bool {
        introspection_field(&async_graphql::parser::parse_query(query).unwrap()).is_some()
    }

    #[test]
    fn finds_introspection_wherever_the_root_selects_it() {
        assert!(finds("{ __schema { types { name } } }"));
        assert!(finds("query { me { id } __type(name: \"User\") { name } }"));
        assert!(finds(
            "{ ... on Query { __schema { queryType { name } } } }"
        ));
        assert!(finds(
            "{ ...F } fragment F on Query { __schema { queryType { name } } }"
        ));
        assert!(!finds("{ me { id __typename } }"));
        assert!(
            !finds("{ ...F } fragment F on Query { ...F }"),
            "cycles end"
        );
    }
}
