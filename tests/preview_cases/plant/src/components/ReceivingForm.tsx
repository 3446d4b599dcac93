import { useState } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";

const receipt = z.object({
  po: z.string().regex(/^PO-\d{4}$/, "PO number looks like PO-1234"),
  qty: z.number({ error: "Quantity is a number" }).int().positive("Quantity must be more than 0"),
});
type Receipt = z.infer<typeof receipt>;

export function ReceivingForm() {
  const [received, setReceived] = useState<Receipt | null>(null);
  const { register, handleSubmit, formState: { errors } } = useForm<Receipt>({ resolver: zodResolver(receipt) });
  return (
    <form aria-label="Receiving" className="space-y-2 rounded-lg border p-4" onSubmit={handleSubmit(setReceived)}>
      <h2 className="font-semibold">Receive a delivery</h2>
      <label className="block">
        PO number
        <input className="ml-2 rounded border px-2" {...register("po")} />
      </label>
      {errors.po && <p role="alert" className="text-sm text-red-600">{errors.po.message}</p>}
      <label className="block">
        Quantity
        <input type="number" className="ml-2 rounded border px-2" {...register("qty", { valueAsNumber: true })} />
      </label>
      {errors.qty && <p role="alert" className="text-sm text-red-600">{errors.qty.message}</p>}
      <button type="submit" className="rounded bg-blue-600 px-3 py-1 text-white">Receive</button>
      {received && <p className="text-green-700">Received {received.qty} on {received.po}</p>}
    </form>
  );
}
