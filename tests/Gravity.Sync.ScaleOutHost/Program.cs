using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// One synchronizer instance writing PostgreSQL views from a shared NATS or Kafka source. Everything comes from the
// environment (Gravity__Sync__..., Gravity__Nats__..., Gravity__Kafka__...), plus ScaleOut__Source = nats | kafka.
// "ready" on standard output means the host started (the source is joined; partitions may come later).
var builder = Host.CreateApplicationBuilder(args);
var gravity = builder.Services.AddGravitySync().AddPostgreSql();
var source = builder.Configuration["ScaleOut:Source"];
_ = source switch
{
    "nats" => gravity.AddNatsJetStreamSource(),
    "kafka" => gravity.AddKafkaSource(),
    _ => throw new InvalidOperationException($"ScaleOut:Source is '{source}'; use nats or kafka."),
};

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("ready");
await host.WaitForShutdownAsync();
