/** Priority classes of the calling queue, highest first (docs/architecture.md §4). */
export enum Priority {
  Appointment = 'appointment',
  Elderly = 'elderly',
  GreenChannel = 'green-channel',
  Normal = 'normal',
}

/** Lower rank is called first. The portal stores the rank beside the ticket. */
export const priorityRank: Readonly<Record<Priority, number>> = {
  [Priority.Appointment]: 0,
  [Priority.Elderly]: 1,
  [Priority.GreenChannel]: 1,
  [Priority.Normal]: 2,
};
