using Company.Sync1;
using Microsoft.Extensions.Hosting;

using var host = SyncApp.Build(args);
await host.RunAsync();
