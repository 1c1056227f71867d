using Rosen.Manager;
using Rosen.Manager.Security;

if (args.Length > 0 && args[0] == "hash-password")
{
    // Reads the password from standard input, so it stays out of the shell history and the process list.
    Console.Error.WriteLine("Password (read from standard input):");
    var password = Console.In.ReadLine();
    if (string.IsNullOrEmpty(password))
    {
        Console.Error.WriteLine("No password given.");
        return 2;
    }

    Console.WriteLine(PasswordHashes.Hash(password));
    return 0;
}

await RosenManagerApp.Build(args).RunAsync();
return 0;
