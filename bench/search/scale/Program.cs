// The scale benchmark's helper: bench/search/scale/run.sh drives it (see README.md beside it).
//   prepare --url U --admin-token T --out F   an account, a key and one tiny ready file (the template row)
//   seed --db F --chunks N --template T --ids-out F   N synthetic chunks with vectors, straight into SQLite
//   query --url U --key K --ids F [--queries 300] [--filtered 100]   memic searches one at a time, latency
//   scan --chunks N [--queries 100]   the server's vector index (SearchVectors) over N synthetic vectors, in process
using Mnemo.Bench.Scale;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Seed prepare|seed|query|scan --option value ...");
    return 2;
}

var options = Options.Parse(args.Skip(1));
return args[0] switch
{
    "prepare" => await Prepare.RunAsync(options),
    "seed" => Seeder.Run(options),
    "query" => await Queries.RunAsync(options),
    "scan" => Scan.Run(options),
    _ => 2,
};
