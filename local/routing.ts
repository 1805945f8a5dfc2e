/**
 * The routing the local runtime and the demo use: the two areas of the partnership with invented contacts
 * (Ofcom's drama numbers 07700 900xxx, example.org mailboxes). In AWS the stage's ROUTING_CONFIG holds the real one.
 */
import type { RoutingConfigInput } from '#domain/routing';

export const localRouting: RoutingConfigInput = {
  fallbackArea: 'E06000047',
  areas: {
    E06000005: {
      contacts: [
        {
          id: 'darlington-housing-options',
          label: 'Darlington housing options',
          channel: 'email',
          address: 'housing-options@darlington.example.org',
        },
        {
          id: 'darlington-out-of-hours',
          label: 'Darlington out-of-hours housing',
          channel: 'sms',
          address: '07700900101',
        },
        {
          id: 'darlington-housing-manager',
          label: 'Darlington housing duty manager',
          channel: 'sms',
          address: '07700900102',
        },
        {
          id: 'darlington-recovery',
          label: 'Darlington drug and alcohol recovery service',
          channel: 'email',
          address: 'referrals@recovery.example.org',
        },
        {
          id: 'darlington-mental-health',
          label: 'Darlington community mental health',
          channel: 'email',
          address: 'cmht@nhs.example.org',
        },
        {
          id: 'darlington-rota-coordinator',
          label: 'Darlington on-call rota coordinator',
          channel: 'email',
          address: 'on-call-rota@darlington.example.org',
        },
      ],
      accommodation: ['darlington-housing-options'],
      aftercare: {
        DRUGS_AND_ALCOHOL: ['darlington-recovery'],
        HEALTH: ['darlington-mental-health'],
        ACCOMMODATION: ['darlington-housing-options'],
      },
      onCall: {
        primary: 'darlington-out-of-hours',
        secondary: 'darlington-out-of-hours',
        manager: 'darlington-housing-manager',
      },
      rotaGapWarnings: {
        rotaOwner: 'darlington-rota-coordinator',
        areaManager: 'darlington-housing-manager',
      },
    },
    E06000047: {
      contacts: [
        {
          id: 'durham-housing-solutions',
          label: 'County Durham housing solutions',
          channel: 'email',
          address: 'housing.solutions@durham.example.org',
        },
        {
          id: 'durham-out-of-hours',
          label: 'County Durham out-of-hours housing',
          channel: 'sms',
          address: '07700900201',
        },
        {
          id: 'durham-housing-manager',
          label: 'County Durham housing duty manager',
          channel: 'sms',
          address: '07700900202',
        },
        {
          id: 'durham-recovery',
          label: 'County Durham drug and alcohol recovery service',
          channel: 'email',
          address: 'referrals@durham-recovery.example.org',
        },
        {
          id: 'durham-employment',
          label: 'County Durham employment support',
          channel: 'webhook',
          address: 'https://employment.example.org/gatehouse',
        },
        {
          id: 'durham-rota-coordinator',
          label: 'County Durham on-call rota coordinator',
          channel: 'email',
          address: 'on-call-rota@durham.example.org',
        },
      ],
      accommodation: ['durham-housing-solutions'],
      aftercare: {
        DRUGS_AND_ALCOHOL: ['durham-recovery'],
        EDUCATION_SKILLS_AND_WORK: ['durham-employment'],
        ACCOMMODATION: ['durham-housing-solutions'],
      },
      onCall: {
        primary: 'durham-out-of-hours',
        secondary: 'durham-out-of-hours',
        manager: 'durham-housing-manager',
      },
      rotaGapWarnings: { rotaOwner: 'durham-rota-coordinator', areaManager: 'durham-housing-manager' },
    },
  },
};
