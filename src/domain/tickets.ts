// Ticket references as parents see them.
export const ticketReference = (number: number) => `T-${number}`;
