//! Spec-exact execution results.
//!
//! async-graphql 7 leaves a field that failed out of its object (its error
//! is in `errors`, its key is gone), turns an object whose every field
//! failed into `null`, and assembles each object's fields in the order they
//! finished. The GraphQL specification ("Handling Field Errors",
//! "CollectFields") asks instead that a failed field be `null`, that a null
//! in a non-null position make its parent null, up to the nearest nullable
//! field (`data: null` when that is a root field), and that every object's
//! fields come in the order the document asked for them.
//!
//! [`Shapes`] knows the served schema's types (read once from its SDL), and
//! [`Shapes::complete`] rebuilds a response's `data` the way the
//! specification's `CompleteValue` would have built it, from the document,
//! the variables, the values async-graphql produced and the paths of its
//! errors. Where an interface or union is selected, it needs the object's
//! runtime type: [`Shapes::mark_abstract`] adds a hidden
//! `__typename` (under [`TYPENAME`]) to those selections before execution,
//! and the completion leaves it out again.
//!
//! One case it cannot make exact: when a list item fails as a whole (a
//! scalar of the list that cannot be serialised), async-graphql drops the
//! whole list; the list then becomes null even if its items are nullable.

use std::collections::{HashMap, HashSet};

use async_graphql::indexmap::IndexMap;
use async_graphql::{Name, PathSegment, Pos, Positioned, Response, ServerError, Value, Variables};
use async_graphql_parser::types::{
    BaseType, ExecutableDocument, Field, OperationDefinition, OperationType, Selection,
    SelectionSet, Type, TypeKind, TypeSystemDefinition,
};

/// The alias of the hidden `__typename` added under interfaces and unions.
pub(crate) const TYPENAME: &str = "_tandemTypename";

/// What the completion needs to know of a named type.
#[derive(Debug)]
enum Shape {
    /// An object type or an interface: its fields' types.
    Composite {
        abstract_type: bool,
        fields: HashMap<String, Type>,
    },
    /// A union: no fields of its own.
    Union,
}

/// The served schema's output types, as the completion needs them.
#[derive(Debug, Default)]
pub(crate) struct Shapes {
    types: HashMap<String, Shape>,
    /// `(object type, interface or union)` pairs: where a fragment on the
    /// second applies to the first.
    within: HashSet<(String, String)>,
    roots: [String; 3],
}

/// A null that must travel up to the nearest nullable position.
struct Bubble;

impl Shapes {
    /// The shapes of the schema whose SDL is `sdl`.
    pub(crate) fn new(sdl: &str) -> Shapes {
        let mut shapes = Shapes {
            roots: ["Query".into(), "Mutation".into(), "Subscription".into()],
            ..Shapes::default()
        };
        let Ok(document) = async_graphql_parser::parse_schema(sdl) else {
            tracing::error!("the served schema's SDL does not parse: results are not completed");
            return shapes;
        };
        for definition in document.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    let schema = schema.node;
                    let named = [schema.query, schema.mutation, schema.subscription];
                    for (root, name) in shapes.roots.iter_mut().zip(named) {
                        if let Some(name) = name {
                            *root = name.node.to_string();
                        }
                    }
                }
                TypeSystemDefinition::Type(ty) => shapes.add(ty.node),
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        shapes
    }

    fn add(&mut self, ty: async_graphql_parser::types::TypeDefinition) {
        let name = ty.name.node.to_string();
        let fields = |fields: Vec<Positioned<async_graphql_parser::types::FieldDefinition>>| {
            fields
                .into_iter()
                .map(|f| (f.node.name.node.to_string(), f.node.ty.node))
                .collect()
        };
        let shape = match ty.kind {
            TypeKind::Object(object) => {
                for interface in &object.implements {
                    self.within
                        .insert((name.clone(), interface.node.to_string()));
                }
                Shape::Composite {
                    abstract_type: false,
                    fields: fields(object.fields),
                }
            }
            TypeKind::Interface(interface) => Shape::Composite {
                abstract_type: true,
                fields: fields(interface.fields),
            },
            TypeKind::Union(union) => {
                for member in &union.members {
                    self.within.insert((member.node.to_string(), name.clone()));
                }
                Shape::Union
            }
            _ => return,
        };
        self.types.insert(name, shape);
    }

    fn is_abstract(&self, name: &str) -> bool {
        matches!(
            self.types.get(name),
            Some(
                Shape::Union
                    | Shape::Composite {
                        abstract_type: true,
                        ..
                    }
            )
        )
    }

    fn field_type(&self, parent: &str, field: &str) -> Option<&Type> {
        match self.types.get(parent)? {
            Shape::Composite { fields, .. } => fields.get(field),
            Shape::Union => None,
        }
    }

    fn root(&self, ty: OperationType) -> &str {
        match ty {
            OperationType::Query => &self.roots[0],
            OperationType::Mutation => &self.roots[1],
            OperationType::Subscription => &self.roots[2],
        }
    }

    /// Whether a fragment on `condition` applies to an object of type `object`.
    fn applies(&self, condition: &str, object: &str) -> bool {
        condition == object
            || self
                .within
                .contains(&(object.to_owned(), condition.to_owned()))
    }

    /// Adds `_tandemTypename: __typename` to every selection of an
    /// interface or a union in `document`, so that the completion knows
    /// each object's runtime type.
    pub(crate) fn mark_abstract(&self, document: &mut ExecutableDocument) {
        let mut fragments = std::mem::take(&mut document.fragments);
        for fragment in fragments.values_mut() {
            let on = fragment.node.type_condition.node.on.node.to_string();
            self.mark(&on, &mut fragment.node.selection_set.node);
        }
        document.fragments = fragments;
        let operations: Vec<&mut Positioned<OperationDefinition>> = match &mut document.operations {
            async_graphql_parser::types::DocumentOperations::Single(op) => vec![op],
            async_graphql_parser::types::DocumentOperations::Multiple(ops) => {
                ops.values_mut().collect()
            }
        };
        for operation in operations {
            let root = self.root(operation.node.ty).to_owned();
            self.mark(&root, &mut operation.node.selection_set.node);
        }
    }

    fn mark(&self, parent: &str, set: &mut SelectionSet) {
        for selection in &mut set.items {
            match &mut selection.node {
                Selection::Field(field) => {
                    let Some(ty) = self.field_type(parent, field.node.name.node.as_str()) else {
                        continue;
                    };
                    let named = named_type(ty).to_owned();
                    let inner = &mut field.node.selection_set;
                    if inner.node.items.is_empty() {
                        continue;
                    }
                    if self.is_abstract(&named) {
                        inner.node.items.push(hidden_typename(inner.pos));
                    }
                    self.mark(&named, &mut inner.node);
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or_else(|| parent.to_owned(), |c| c.node.on.node.to_string());
                    self.mark(&on, &mut fragment.node.selection_set.node);
                }
                Selection::FragmentSpread(_) => {}
            }
        }
    }

    /// Rebuilds `response.data` as the specification's execution would
    /// have: see the module documentation. `document` is the document as the
    /// client sent it (without the hidden `__typename`).
    pub(crate) fn complete(
        &self,
        document: &ExecutableDocument,
        operation_name: Option<&str>,
        variables: &Variables,
        response: &mut Response,
    ) {
        let field_errors = response.errors.iter().any(|e| !e.path.is_empty());
        if response.data == Value::Null && !field_errors {
            return;
        }
        let Some(operation) = select(document, operation_name) else {
            return;
        };
        let data = match std::mem::take(&mut response.data) {
            Value::Object(map) => map,
            Value::Null => IndexMap::new(),
            other => {
                response.data = other;
                return;
            }
        };
        let paths: Vec<Vec<PathSegment>> = response.errors.iter().map(|e| e.path.clone()).collect();
        let mut completion = Completion {
            shapes: self,
            document,
            operation,
            variables,
            errors: &paths,
            more_errors: Vec::new(),
        };
        let root = self.root(operation.ty);
        let sets = [&operation.selection_set.node];
        let mut path = Vec::new();
        response.data = completion
            .object(root, &sets, data, &mut path)
            .unwrap_or(Value::Null);
        response.errors.extend(completion.more_errors);
    }
}

fn hidden_typename(pos: Pos) -> Positioned<Selection> {
    Positioned::new(
        Selection::Field(Positioned::new(
            Field {
                alias: Some(Positioned::new(Name::new(TYPENAME), pos)),
                name: Positioned::new(Name::new("__typename"), pos),
                arguments: Vec::new(),
                directives: Vec::new(),
                selection_set: Positioned::new(SelectionSet::default(), pos),
            },
            pos,
        )),
        pos,
    )
}

fn named_type(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(item) => named_type(item),
    }
}

fn select<'d>(
    document: &'d ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'d OperationDefinition> {
    let mut operations = document.operations.iter();
    match operation_name {
        Some(wanted) => operations
            .find(|(name, _)| name.is_some_and(|n| n.as_str() == wanted))
            .map(|(_, op)| &op.node),
        None => {
            let (_, first) = operations.next()?;
            operations.next().is_none().then_some(&first.node)
        }
    }
}

/// One response being completed.
struct Completion<'a> {
    shapes: &'a Shapes,
    document: &'a ExecutableDocument,
    operation: &'a OperationDefinition,
    variables: &'a Variables,
    /// The paths of the errors async-graphql reported.
    errors: &'a [Vec<PathSegment>],
    /// Errors the completion found itself (a null in a non-null position
    /// that no error explains).
    more_errors: Vec<ServerError>,
}

impl<'a> Completion<'a> {
    /// The completed value of a field of type `ty` selected by `fields`
    /// whose value async-graphql gave as `raw` (`None` when it left it out).
    fn value(
        &mut self,
        ty: &Type,
        fields: &[&'a Field],
        raw: Option<Value>,
        path: &mut Vec<PathSegment>,
    ) -> Result<Value, Bubble> {
        match self.base(&ty.base, fields, raw, path) {
            Ok(Value::Null) if !ty.nullable => {
                if !self.errors.iter().any(|e| e.starts_with(path.as_slice())) {
                    let mut error =
                        ServerError::new(crate::core::locale::tr!("error-null-field"), None);
                    error.path.clone_from(&*path);
                    let mut extensions = async_graphql::ErrorExtensionValues::default();
                    extensions.set("code", "INTERNAL");
                    error.extensions = Some(extensions);
                    self.more_errors.push(error);
                }
                Err(Bubble)
            }
            Err(Bubble) if ty.nullable => Ok(Value::Null),
            completed => completed,
        }
    }

    fn base(
        &mut self,
        base: &BaseType,
        fields: &[&'a Field],
        raw: Option<Value>,
        path: &mut Vec<PathSegment>,
    ) -> Result<Value, Bubble> {
        let Some(raw) = raw else {
            return Ok(Value::Null);
        };
        match base {
            BaseType::List(item) => match raw {
                Value::List(items) => {
                    let mut completed = Vec::with_capacity(items.len());
                    for (index, value) in items.into_iter().enumerate() {
                        path.push(PathSegment::Index(index));
                        let value = self.value(item, fields, Some(value), path);
                        path.pop();
                        completed.push(value?);
                    }
                    Ok(Value::List(completed))
                }
                other => Ok(other),
            },
            BaseType::Named(name) if self.shapes.types.contains_key(name.as_str()) => {
                let sets: Vec<&'a SelectionSet> =
                    fields.iter().map(|&f| &f.selection_set.node).collect();
                match raw {
                    Value::Object(map) => self.object(name, &sets, map, path),
                    // An object all of whose fields failed came back as null.
                    Value::Null if self.errors.iter().any(|e| strictly_below(e, path)) => {
                        self.object(name, &sets, IndexMap::new(), path)
                    }
                    other => Ok(other),
                }
            }
            BaseType::Named(_) => Ok(raw),
        }
    }

    /// An object of (static) type `ty`, its fields in document order.
    fn object(
        &mut self,
        ty: &str,
        sets: &[&'a SelectionSet],
        mut raw: IndexMap<Name, Value>,
        path: &mut Vec<PathSegment>,
    ) -> Result<Value, Bubble> {
        let runtime = match raw.get(TYPENAME) {
            Some(Value::String(name)) if self.shapes.is_abstract(ty) => name.clone(),
            _ => ty.to_owned(),
        };
        let mut grouped: IndexMap<&'a Name, Vec<&'a Field>> = IndexMap::new();
        let mut visited = HashSet::new();
        for &set in sets {
            self.collect(&runtime, set, &mut grouped, &mut visited);
        }
        let mut completed = IndexMap::with_capacity(grouped.len());
        for (key, fields) in grouped {
            let value = raw.shift_remove(key);
            let name = fields[0].name.node.as_str();
            path.push(PathSegment::Field(key.to_string()));
            let value = match self.shapes.field_type(&runtime, name) {
                Some(field_type) => self.value(field_type, &fields, value, path),
                // __typename, and introspection, which async-graphql completes itself.
                None => Ok(value.unwrap_or(Value::Null)),
            };
            path.pop();
            completed.insert(key.clone(), value?);
        }
        Ok(Value::Object(completed))
    }

    /// The specification's CollectFields, for an object of type `runtime`.
    fn collect(
        &self,
        runtime: &str,
        set: &'a SelectionSet,
        grouped: &mut IndexMap<&'a Name, Vec<&'a Field>>,
        visited: &mut HashSet<&'a str>,
    ) {
        for selection in &set.items {
            let (directives, condition, inner) = match &selection.node {
                Selection::Field(field) => {
                    if self.included(&field.node.directives) {
                        let key = &field.node.response_key().node;
                        grouped.entry(key).or_default().push(&field.node);
                    }
                    continue;
                }
                Selection::InlineFragment(fragment) => (
                    &fragment.node.directives,
                    fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| &c.node.on.node),
                    &fragment.node.selection_set.node,
                ),
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if !self.included(&spread.node.directives) || !visited.insert(name) {
                        continue;
                    }
                    let Some(fragment) = self.document.fragments.get(name) else {
                        continue;
                    };
                    (
                        &spread.node.directives,
                        Some(&fragment.node.type_condition.node.on.node),
                        &fragment.node.selection_set.node,
                    )
                }
            };
            if !self.included(directives) {
                continue;
            }
            if condition.is_some_and(|c| !self.shapes.applies(c, runtime)) {
                continue;
            }
            self.collect(runtime, inner, grouped, visited);
        }
    }

    /// `@skip` and `@include`.
    fn included(&self, directives: &[Positioned<async_graphql_parser::types::Directive>]) -> bool {
        directives.iter().all(|directive| {
            let wanted = match directive.node.name.node.as_str() {
                "skip" => false,
                "include" => true,
                _ => return true,
            };
            let condition = match directive.node.get_argument("if").map(|v| &v.node) {
                Some(async_graphql_value::Value::Boolean(b)) => *b,
                Some(async_graphql_value::Value::Variable(name)) => self.variable_is_true(name),
                _ => return true,
            };
            condition == wanted
        })
    }
}

impl Completion<'_> {
    /// Whether the boolean variable `name` is true, as sent or by default.
    fn variable_is_true(&self, name: &Name) -> bool {
        let value = self.variables.get(name).or_else(|| {
            self.operation
                .variable_definitions
                .iter()
                .find(|d| d.node.name.node == *name)
                .and_then(|d| d.node.default_value.as_ref())
                .map(|v| &v.node)
        });
        matches!(value, Some(Value::Boolean(true)))
    }
}

fn strictly_below(error: &[PathSegment], path: &[PathSegment]) -> bool {
    error.len() > path.len() && error.starts_with(path)
}
