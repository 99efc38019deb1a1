import { graphql } from '@/gql';

export const DevicesDocument = graphql(`
  query DevicesPage {
    devices {
      id
      name
      createdAt
      lastSeenAt
      revokedAt
      revokeReason
      current
    }
  }
`);

export const RevokeDeviceDocument = graphql(`
  mutation RevokeDevice($id: ID!) {
    revokeDevice(id: $id) {
      id
      name
      createdAt
      lastSeenAt
      revokedAt
      revokeReason
      current
    }
  }
`);
