// The payment service's Stripe adapter: where the charge the model decides
// from the card token really happens. Every call goes through the circuit
// breaker, and carries the payment id as Stripe's idempotency key, so a
// redelivered command never charges twice.
import { allowsRequest, recordCall, type Breaker } from "./circuit-breaker.js";

export interface StripeClient {
  createCharge(params: { amount: number; currency: string; source: string; idempotencyKey: string }): Promise<{ id: string; paid: boolean }>;
  createRefund(params: { charge: string; idempotencyKey: string }): Promise<{ id: string }>;
}

export type ChargeOutcome = { kind: "captured"; chargeId: string } | { kind: "declined" } | { kind: "unavailable" };

export class StripeGateway {
  private breaker: Breaker;
  private calls = 0;

  constructor(
    private readonly stripe: StripeClient,
    initial: Breaker,
    private readonly clock: () => number,
  ) {
    this.breaker = initial;
  }

  async charge(paymentId: string, amountCents: number, currency: string, token: string): Promise<ChargeOutcome> {
    if (!allowsRequest(this.breaker)) return { kind: "unavailable" };
    const id = `call-${++this.calls}`;
    try {
      const charge = await this.stripe.createCharge({ amount: amountCents, currency, source: token, idempotencyKey: paymentId });
      this.breaker = recordCall(this.breaker, { id, at: this.clock(), outcome: "success" });
      return charge.paid ? { kind: "captured", chargeId: charge.id } : { kind: "declined" };
    } catch {
      this.breaker = recordCall(this.breaker, { id, at: this.clock(), outcome: "failure" });
      return { kind: "unavailable" };
    }
  }

  async refund(paymentId: string, chargeId: string): Promise<"refunded" | "unavailable"> {
    if (!allowsRequest(this.breaker)) return "unavailable";
    const id = `call-${++this.calls}`;
    try {
      await this.stripe.createRefund({ charge: chargeId, idempotencyKey: `${paymentId}:refund` });
      this.breaker = recordCall(this.breaker, { id, at: this.clock(), outcome: "success" });
      return "refunded";
    } catch {
      this.breaker = recordCall(this.breaker, { id, at: this.clock(), outcome: "failure" });
      return "unavailable";
    }
  }
}
