// Payment Service -> Stripe API (external), as the seed's topology draws it.
export interface StripeClient {
  createCharge(params: { amount: number; currency: string; source: string }): Promise<{ id: string; paid: boolean }>;
}

export class StripePayments {
  constructor(private readonly stripe: StripeClient) {}

  async charge(amount: number, token: string): Promise<boolean> {
    const charge = await this.stripe.createCharge({ amount: Math.round(amount * 100), currency: "usd", source: token });
    return charge.paid;
  }
}
