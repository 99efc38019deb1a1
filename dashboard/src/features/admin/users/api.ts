import { graphql } from '@/gql';

export const AdminUserFieldsFragment = graphql(`
  fragment AdminUserFields on User {
    id
    email
    name
    role
    createdAt
    disabled
    disabledAt
  }
`);

export const UsersDocument = graphql(`
  query AdminUsers($first: Int, $after: String, $search: String, $role: Role, $disabled: Boolean) {
    users(first: $first, after: $after, search: $search, role: $role, disabled: $disabled) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...AdminUserFields
      }
    }
  }
`);

export const CreateUserDocument = graphql(`
  mutation AdminCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      ...AdminUserFields
    }
  }
`);

export const SetUserRoleDocument = graphql(`
  mutation AdminSetUserRole($id: ID!, $role: Role!) {
    setUserRole(id: $id, role: $role) {
      ...AdminUserFields
    }
  }
`);

export const SetUserDisabledDocument = graphql(`
  mutation AdminSetUserDisabled($id: ID!, $disabled: Boolean!) {
    setUserDisabled(id: $id, disabled: $disabled) {
      ...AdminUserFields
    }
  }
`);

export const UserDevicesDocument = graphql(`
  query AdminUserDevices($userId: ID!) {
    userDevices(userId: $userId) {
      id
      name
      createdAt
      lastSeenAt
      revokedAt
      revokeReason
    }
  }
`);

export const AdminRevokeDeviceDocument = graphql(`
  mutation AdminRevokeDevice($id: ID!) {
    revokeDevice(id: $id) {
      id
      name
      createdAt
      lastSeenAt
      revokedAt
      revokeReason
    }
  }
`);
