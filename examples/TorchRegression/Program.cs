// The torch layer on its own: a small network learns y = x1 + x2 + x3, the loss printed every 100 steps.
using Vae.MLNet.Torch;

torch.manual_seed(0);
var net = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1));
var opt = torch.optim.Adam(net.parameters(), lr: 0.01);
var x = torch.randn(256, 3);
var y = x.sum(1, keepdim: true);
Console.WriteLine("Training a 3-16-1 network on y = x1 + x2 + x3 (mean squared error):");
for (int step = 0; step < 500; step++)
{
    using var scope = torch.NewDisposeScope();
    var loss = torch.nn.functional.mse_loss(net.forward(x), y);
    opt.zero_grad(); loss.backward(); opt.step();
    if (step % 100 == 0) Console.WriteLine($"  step {step,3}: loss {loss.item<float>():F5}");
}

try
{
    torch.randn(2, 3).matmul(torch.randn(4, 5));
}
catch (TorchException e)
{
    Console.WriteLine($"A bad matmul becomes an exception and the process goes on:\n  {e.Message}");
}
