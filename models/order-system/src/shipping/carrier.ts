// The shipping service's carrier adapter: books the parcel whose delivery the
// carrier later confirms through its webhook (the `carrier-events` channel).
export interface CarrierClient {
  createParcel(params: { reference: string; trackingNumber: string; items: { productId: string; quantity: number }[] }): Promise<{ labelUrl: string }>;
}

export class CarrierBooking {
  constructor(private readonly carrier: CarrierClient) {}

  async book(orderId: string, trackingNumber: string, items: { productId: string; quantity: number }[]): Promise<string> {
    const { labelUrl } = await this.carrier.createParcel({ reference: orderId, trackingNumber, items });
    return labelUrl;
  }
}
